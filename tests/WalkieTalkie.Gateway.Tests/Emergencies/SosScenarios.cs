using System.Collections.Concurrent;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Emergencies;

/// <summary>
/// SOS end to end: an open emergency's floor request cuts whoever talks on every channel of the badge, nobody cuts
/// it (a priority talker included), every badge of those channels is told (standby woken, pocket at its check-in),
/// its burst plays through do-not-disturb, and it stays open until the badge or an admin cancels it, a restart included.
/// </summary>
public abstract class SosScenarios
{
    protected abstract BrokerKind Broker { get; }

    // anna raises the emergency; ben talks on 1, cara on 2; zoe (priority) is on both.
    private static TestGateway School()
    {
        var g = TestGateway.Create();
        g.AddBadge("anna");
        g.AddBadge("ben");
        g.AddBadge("cara");
        g.AddBadge("zoe", priority: true);
        g.AddChannel(1, 8000, "anna", "ben", "zoe");
        g.AddChannel(2, 16000, "anna", "cara", "zoe");
        return g;
    }

    [Fact]
    public async Task Sos_preempts_the_talkers_on_both_channels_of_the_badge_and_a_priority_talker_cannot_cut_it()
    {
        await using var g = School();
        await g.StartAsync(Broker);
        var observed = new Observer();
        g.Host.Engine.Observers.Add(observed);
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var cara = await g.ConnectAsync("cara");
        var zoe = await g.ConnectAsync("zoe");
        var benTalk = Assert.IsType<FloorGranted>(await ben.RequestFloorAsync(1));
        await ben.TalkAsync(benTalk, 2, release: false);
        var caraTalk = Assert.IsType<FloorGranted>(await cara.RequestFloorAsync(2));
        await cara.TalkAsync(caraTalk, 2, release: false);

        await anna.SendAsync(new Emergency { Open = true });
        foreach (var badge in new[] { anna, ben, cara, zoe })
        {
            await badge.WaitForAsync<EmergencyState>(s => s.Open && s.Badge == "anna");
        }

        var sos = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1, emergency: true));
        Assert.Equal(EndReason.Preempted, (await ben.WaitForAsync<FloorRevoked>(r => r.BurstId == benTalk.BurstId)).Reason);
        Assert.Equal(EndReason.Preempted, (await cara.WaitForAsync<FloorRevoked>(r => r.BurstId == caraTalk.BurstId)).Reason);
        var onOne = await zoe.WaitForAsync<BurstStart>(s => s.BurstId == sos.BurstId);
        var onTwo = await zoe.WaitForAsync<BurstStart>(s => s.Channel == 2 && s.BurstId != caraTalk.BurstId);
        Assert.True((onOne.Flags & BurstFlags.Priority) != 0);
        Assert.True((onTwo.Flags & BurstFlags.Priority) != 0);
        Assert.Equal(onOne.RateCode, onTwo.RateCode); // the talker's audio, as it was sent
        await cara.WaitForAsync<BurstStart>(s => s.BurstId == onTwo.BurstId);

        Assert.IsType<FloorDenied>(await zoe.RequestFloorAsync(1, emergency: true));
        Assert.IsType<FloorDenied>(await zoe.RequestFloorAsync(2, emergency: true));
        Assert.IsType<FloorDenied>(await ben.RequestFloorAsync(1));

        await anna.TalkAsync(sos, 5);
        await ben.WaitForAsync<BurstEnd>(e => e.BurstId == sos.BurstId);
        await cara.WaitForAsync<BurstEnd>(e => e.BurstId == onTwo.BurstId);
        Assert.True(await Eventually.TrueAsync(() => ben.FramesOf(sos.BurstId).Count == 5));
        Assert.True(await Eventually.TrueAsync(() => cara.FramesOf(onTwo.BurstId).Count == 5));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => (ushort)i), cara.FramesOf(onTwo.BurstId).Select(f => f.Sequence));
        Assert.True(await Eventually.TrueAsync(() => zoe.FramesOf(sos.BurstId).Count == 5 && zoe.FramesOf(onTwo.BurstId).Count == 5));

        var opened = Assert.Single(observed.Opened);
        Assert.Equal(("anna", 80, ""), (opened.BadgeId, opened.BatteryPercent, opened.Zone));
        Assert.Equal([1, 2], opened.Channels);
        var decisions = new SqliteStatusStore(g.Database).RecentDecisions(100);
        Assert.Contains(decisions, d => d.BadgeId == "anna" && d.Decision == "emergency" && d.Channel == 1);
        Assert.Contains(decisions, d => d.BadgeId == "anna" && d.Decision == "emergency" && d.Channel == 2);
        Assert.Equal("anna", Assert.Single(new SqliteEmergencyStore(g.Database).List()).BadgeId);
    }

    [Fact]
    public async Task Sos_wakes_a_standby_badge_plays_through_do_not_disturb_and_reaches_a_pocket_badge_at_its_next_check_in()
    {
        await using var g = School();
        new SqliteQuietStore(g.Database).SetDoNotDisturb("zoe", true);
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var cara = await g.ConnectAsync("cara");
        var zoe = await g.ConnectAsync("zoe");
        await ben.SendAsync(new SleepAnnouncement { Mode = SleepMode.Standby });
        await ben.SendStateAsync(BadgeStatus.Standby);
        await cara.SendAsync(new SleepAnnouncement { Mode = SleepMode.Pocket, NextCheckInSeconds = 300 });
        await cara.SendStateAsync(BadgeStatus.Pocket);
        await Task.Delay(300);
        Assert.Equal(300, cara.Control.OfType<Config>().Last().CheckInSeconds);

        await anna.SendAsync(new Emergency { Open = true });
        var wake = await ben.WaitForAsync<Wake>();
        Assert.Equal(WakeReason.Burst, wake.Reason);
        await ben.WaitForAsync<EmergencyState>(s => s.Open && s.Badge == "anna");
        Assert.True(Array.IndexOf(ben.Control.ToArray(), wake) < Array.IndexOf(ben.Control.ToArray(), ben.Control.OfType<EmergencyState>().First()));
        Assert.Equal(30, (await ben.WaitForAsync<Config>(c => c.CheckInSeconds == 30)).CheckInSeconds);
        await Task.Delay(200);
        Assert.False(cara.Has<EmergencyState>());

        var sos = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1, emergency: true));
        await anna.TalkAsync(sos, 4);
        await zoe.WaitForAsync<BurstEnd>(e => e.BurstId == sos.BurstId);
        Assert.True(await Eventually.TrueAsync(() => zoe.FramesOf(sos.BurstId).Count == 4));
        Assert.True(await Eventually.TrueAsync(() => ben.FramesOf(sos.BurstId).Count == 4));

        // cara's pocket check-in: she hears of the emergency, gets its audio on her channel, and checks in sooner.
        await cara.SendStateAsync(BadgeStatus.Idle);
        await cara.WaitForAsync<EmergencyState>(s => s.Open && s.Badge == "anna");
        Assert.Equal(30, (await cara.WaitForAsync<Config>(c => c.CheckInSeconds == 30)).CheckInSeconds);
        var owed = await cara.WaitForAsync<UnplayedList>(l => l.Entries.Any(e => e.Talker == "Anna" && e.Channel == 2));
        await cara.SendAsync(new PlayRequest { BurstId = owed.Entries.First(e => e.Channel == 2).BurstId });
        await cara.WaitForAsync<BurstEnd>(e => e.Channel == 2);
        Assert.True(await Eventually.TrueAsync(() => cara.FramesOf(owed.Entries.First(e => e.Channel == 2).BurstId).Count == 4));
    }

    [Fact]
    public async Task The_badge_cancels_its_emergency_with_the_same_gesture_and_everyone_is_told()
    {
        await using var g = School();
        await g.StartAsync(Broker);
        var observed = new Observer();
        g.Host.Engine.Observers.Add(observed);
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var zoe = await g.ConnectAsync("zoe");
        await anna.SendAsync(new Emergency { Open = true });
        await ben.WaitForAsync<EmergencyState>(s => s.Open);
        Assert.True(await Eventually.TrueAsync(() => new SqliteEmergencyStore(g.Database).List().Count == 1));

        await anna.SendAsync(new Emergency { Open = false });
        await ben.WaitForAsync<EmergencyState>(s => !s.Open && s.Badge == "anna");
        await anna.WaitForAsync<EmergencyState>(s => !s.Open && s.Badge == "anna");
        Assert.True(await Eventually.TrueAsync(() => new SqliteEmergencyStore(g.Database).List().Count == 0));
        Assert.Equal([("anna", "badge")], observed.Closed);
        // The decision is written by the storage worker in its own time (StatusRecorder), not with the emergency's row.
        Assert.True(await Eventually.TrueAsync(() =>
            new SqliteStatusStore(g.Database).RecentDecisions(100).Any(d => d.BadgeId == "anna" && d.Decision == "emergency-closed")));

        // Closed: a priority badge may cut anna's emergency-flagged request again, as before SOS.
        var plain = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1, emergency: true));
        await anna.TalkAsync(plain, 1, release: false);
        Assert.IsType<FloorGranted>(await zoe.RequestFloorAsync(1, emergency: true));
        await Task.Delay(300);
        Assert.Single(observed.Opened);
    }

    [Fact]
    public async Task An_admin_cancel_right_after_the_badge_opened_it_is_never_missed()
    {
        await using var g = School();
        await g.StartAsync(Broker);
        var observed = new Observer();
        g.Host.Engine.Observers.Add(observed);
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var store = new SqliteEmergencyStore(g.Database);
        for (var round = 0; round < 5; round++)
        {
            await anna.SendAsync(new Emergency { Open = true });
            // The admin's cancel lands before the engine has loaded a registry holding the emergency: both version
            // bumps come in one reload, in which the emergency never appears.
            Assert.True(SpinWait.SpinUntil(() => store.List().Any(e => e.BadgeId == "anna"), 5_000));
            store.Close("anna");
            Assert.True(await Eventually.TrueAsync(() => Told(ben, open: false) == round + 1), "the cancel was missed");
            Assert.True(await Eventually.TrueAsync(() => observed.Closed.Count(c => c == ("anna", "admin")) == round + 1));
        }
    }

    private static int Told(TestBadge badge, bool open) =>
        badge.Control.ToArray().OfType<EmergencyState>().Count(s => s.Open == open && s.Badge == "anna");

    [Fact]
    public async Task An_admin_cancels_the_emergency_and_an_open_one_survives_a_restart()
    {
        await using var g = School();
        // Opened before this gateway started (the one before it stopped with it open).
        new SqliteEmergencyStore(g.Database).Open("anna", DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds());
        await g.StartAsync(Broker);
        var observed = new Observer();
        g.Host.Engine.Observers.Add(observed);
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var zoe = await g.ConnectAsync("zoe");
        await anna.WaitForAsync<EmergencyState>(s => s.Open && s.Badge == "anna");
        await ben.WaitForAsync<EmergencyState>(s => s.Open && s.Badge == "anna");
        var sos = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1, emergency: true));
        await anna.TalkAsync(sos, 1, release: false);
        Assert.IsType<FloorDenied>(await zoe.RequestFloorAsync(1, emergency: true));
        await anna.TalkAsync(sos, 1, firstSequence: 1);

        var cancel = await WalkieCli.RunAsync(g.Directory, "sos", "cancel", "anna");
        Assert.Equal(0, cancel.ExitCode);
        await anna.WaitForAsync<EmergencyState>(s => !s.Open && s.Badge == "anna");
        await ben.WaitForAsync<EmergencyState>(s => !s.Open && s.Badge == "anna");
        Assert.True(await Eventually.TrueAsync(() => observed.Closed.Contains(("anna", "admin"))));
        Assert.Equal(300, (await ben.WaitForAsync<Config>(c => c.CheckInSeconds == 300, skip: 2)).CheckInSeconds);

        // An admin's cancel is a change like any other: it is in the audit trail.
        var audit = await WalkieCli.RunAsync(g.Directory, "audit");
        Assert.Equal(0, audit.ExitCode);
        Assert.Contains("emergency.cancel", audit.Output);
        Assert.Contains("anna", audit.Output);
    }

    private sealed class Observer : IGatewayObserver
    {
        public ConcurrentQueue<EmergencyInfo> Opened { get; } = new();

        public ConcurrentQueue<(string, string)> Closed { get; } = new();

        public void OnEmergencyOpened(EmergencyInfo emergency) => Opened.Enqueue(emergency);

        public void OnEmergencyClosed(string badgeId, string by) => Closed.Enqueue((badgeId, by));
    }
}

public sealed class EmbeddedBrokerSos : SosScenarios
{
    protected override BrokerKind Broker => BrokerKind.Embedded;
}

public sealed class MosquittoSos : SosScenarios
{
    protected override BrokerKind Broker => BrokerKind.Mosquitto;
}
