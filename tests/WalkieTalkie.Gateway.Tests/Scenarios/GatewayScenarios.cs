using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Tests.Scenarios;

/// <summary>
/// The issue's end-to-end scenarios, run against the embedded broker, against a real Mosquitto (the gateway then
/// being a client with its own credentials and Mosquitto doing the access control), and on the in-memory transport.
/// </summary>
public abstract class GatewayScenarios
{
    protected abstract BrokerKind Broker { get; }

    private static void Family(TestGateway g, int rate = 8000, params string[] extra)
    {
        foreach (var id in new[] { "anna", "ben", "cara" }.Concat(extra))
        {
            g.AddBadge(id);
        }

        g.AddChannel(1, rate, "anna", "ben", "cara");
    }

    [Fact]
    public async Task A_badge_that_drops_is_offline_through_its_text_last_will()
    {
        await using var g = TestGateway.Create();
        Family(g);
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");
        Assert.True(await Eventually.TrueAsync(() => PresenceOf(g, "anna") is "idle"));

        await anna.DisconnectAsync(clean: false);

        Assert.True(await Eventually.TrueAsync(() => PresenceOf(g, "anna") is "offline"), $"anna is {PresenceOf(g, "anna")}");
        Assert.False(g.Log.Contains("malformed", "anna"));
    }

    private static string? PresenceOf(TestGateway g, string badge) =>
        new SqliteStatusStore(g.Database).Presence().FirstOrDefault(p => p.BadgeId == badge)?.State;

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    public async Task A_burst_reaches_every_permitted_listener_and_no_one_else(int rate)
    {
        await using var g = TestGateway.Create();
        Family(g, rate, "dan", "eve");
        g.Channels.Join(1, "dan");
        g.Permits.Grant("dan", 1, PermitBits.Known, null, "test", accepted: false);
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var cara = await g.ConnectAsync("cara");
        var dan = await g.ConnectAsync("dan");
        var eve = await g.ConnectAsync("eve");

        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        var rateCode = SampleRate.FromHertz(rate);
        for (var i = 0; i < 10; i++)
        {
            await anna.SendFrameAsync(TestFrames.Make(1, grant.BurstId, (ushort)i, last: i == 9, rateCode: rateCode));
        }

        await anna.SendAsync(new FloorRelease { Channel = 1, BurstId = grant.BurstId, FrameCount = 10 });
        foreach (var listener in new[] { ben, cara })
        {
            var end = await listener.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId);
            Assert.Equal(10, end.FrameCount);
            Assert.Equal(EndReason.Released, end.Reason);
            Assert.True(listener.Has<BurstStart>(s => s.BurstId == grant.BurstId && s.Talker == "Anna" && s.RateCode == rateCode));
            Assert.True(await Eventually.TrueAsync(() => listener.FramesOf(grant.BurstId).Count == 10));
            var frames = listener.FramesOf(grant.BurstId);
            Assert.Equal(Enumerable.Range(0, 10).Select(i => (ushort)i), frames.Select(f => f.Sequence));
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal(TestFrames.Make(1, grant.BurstId, (ushort)i, last: i == 9, rateCode: rateCode), frames[i].Payload);
            }
        }

        await Task.Delay(300);
        Assert.Empty(dan.FramesOf(grant.BurstId));
        Assert.Empty(eve.FramesOf(grant.BurstId));
        Assert.False(dan.Has<BurstStart>());
        Assert.False(eve.Has<BurstStart>());
        Assert.Empty(anna.FramesOf(grant.BurstId));

        var recording = new SqliteRecordingIndex(g.Database).Get(grant.BurstId)!;
        Assert.True(recording.Complete);
        Assert.Equal(10, recording.FramesReceived);
        Assert.Equal(0, recording.FramesLost);
        var file = Recordings.Wav(g.Options.DataDirectory, recording.Path);
        var info = new WavInfo();
        Assert.Equal(WavError.Ok, WavReader.Read(file, file.Length, info));
        Assert.True(info.IsImaAdpcm);
        Assert.Equal(rate, info.SampleRate);
        Assert.Equal(10, info.BlockCount);
        Assert.False(info.DataSizeInferred);
    }

    [Fact]
    public async Task A_second_push_to_talk_during_a_burst_is_denied()
    {
        await using var g = TestGateway.Create();
        Family(g);
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(grant, 3, release: false);

        var denied = Assert.IsType<FloorDenied>(await ben.RequestFloorAsync(1));
        Assert.Equal(DenyReason.Busy, denied.Reason);
        Assert.True(denied.RetryAfterSeconds > 0);
        // The status tables are written in the background (walkie status reads them): wait for them, bounded.
        Assert.True(await Eventually.TrueAsync(() => new SqliteStatusStore(g.Database).Holders().SingleOrDefault()?.BadgeId == "anna"));
        Assert.True(await Eventually.TrueAsync(() => new SqliteStatusStore(g.Database).RecentDecisions(5)
            .Any(d => d.BadgeId == "ben" && d.Decision == "denied" && d.Reason == "Busy")));
    }

    [Fact]
    public async Task The_maximum_talk_time_ends_a_burst_and_a_cool_down_follows()
    {
        await using var g = TestGateway.Create();
        foreach (var id in new[] { "anna", "ben" })
        {
            g.AddBadge(id);
        }

        g.Channels.Add(2, "short", 8000, maxTalkSeconds: 1);
        foreach (var id in new[] { "anna", "ben" })
        {
            g.Channels.Join(2, id);
            g.Permits.Grant(id, 2, PermitBits.Known, null, "test", true);
        }

        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(2));
        Assert.Equal(1, grant.MaxTalkSeconds);
        var talking = anna.TalkAsync(grant, 40, release: false, gapMs: 40);

        var revoked = await anna.WaitForAsync<FloorRevoked>(timeoutMs: 4000);
        Assert.Equal(EndReason.MaxTalkTime, revoked.Reason);
        var end = await ben.WaitForAsync<BurstEnd>();
        Assert.Equal(EndReason.MaxTalkTime, end.Reason);
        // Pressed again at once, well inside the cool-down however slowly the cut talker's last frames go out.
        var again = Assert.IsType<FloorDenied>(await anna.RequestFloorAsync(2));
        Assert.Equal(DenyReason.TooLong, again.Reason);
        await talking;
    }

    [Fact]
    public async Task A_lost_lease_ends_a_burst()
    {
        await using var g = TestGateway.Create();
        Family(g);
        g.Floor.LeaseSeconds = 0.6;
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(grant, 3, release: false);

        var revoked = await anna.WaitForAsync<FloorRevoked>();
        Assert.Equal(EndReason.LeaseLost, revoked.Reason);
        Assert.Equal(EndReason.LeaseLost, (await ben.WaitForAsync<BurstEnd>()).Reason);
        Assert.IsType<FloorGranted>(await ben.RequestFloorAsync(1));
    }

    [Fact]
    public async Task A_priority_badge_preempts()
    {
        await using var g = TestGateway.Create();
        Family(g);
        g.AddBadge("boss", priority: true);
        g.Channels.Join(1, "boss");
        g.Permits.Grant("boss", 1, PermitBits.Known, null, "test", true);
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var boss = await g.ConnectAsync("boss");
        var first = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(first, 2, release: false);

        var second = Assert.IsType<FloorGranted>(await boss.RequestFloorAsync(1));
        Assert.NotEqual(first.BurstId, second.BurstId);
        Assert.Equal(EndReason.Preempted, (await anna.WaitForAsync<FloorRevoked>()).Reason);
        Assert.Equal(EndReason.Preempted, (await ben.WaitForAsync<BurstEnd>(e => e.BurstId == first.BurstId)).Reason);
        await boss.TalkAsync(second, 3);
        await ben.WaitForAsync<BurstEnd>(e => e.BurstId == second.BurstId);
        Assert.Equal(3, ben.FramesOf(second.BurstId).Count);

        // A plain badge cannot preempt the priority talker.
        var bossAgain = Assert.IsType<FloorGranted>(await boss.RequestFloorAsync(1));
        Assert.Equal(DenyReason.Busy, Assert.IsType<FloorDenied>(await anna.RequestFloorAsync(1)).Reason);
        await boss.TalkAsync(bossAgain, 1);
    }

    [Fact]
    public async Task A_priority_badge_is_told_it_may_cut_in_and_is_told_again_when_it_no_longer_may()
    {
        await using var g = TestGateway.Create();
        Family(g);
        g.AddBadge("boss", priority: true);
        g.Channels.Join(1, "boss");
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");
        var boss = await g.ConnectAsync("boss");

        // Its push-to-talk asks for the floor while it hears someone: the talker is cut as above.
        Assert.True((await boss.WaitForAsync<TalkerOptions>()).MayOverride);
        await anna.WaitForAsync<ChannelOptions>();
        await Task.Delay(300);
        Assert.False(anna.Has<TalkerOptions>());

        g.Badges.SetPriority("boss", false);
        Assert.False((await boss.WaitForAsync<TalkerOptions>(o => !o.MayOverride, timeoutMs: 10_000)).MayOverride);
    }

    [Fact]
    public async Task A_standby_badge_is_woken_and_plays_the_burst_from_its_start()
    {
        await using var g = TestGateway.Create();
        Family(g);
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        await ben.SendAsync(new SleepAnnouncement { Mode = SleepMode.Standby });
        await ben.SendStateAsync(BadgeStatus.Standby);
        await Task.Delay(200);

        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(grant, 6);
        var wake = await ben.WaitForAsync<Wake>();
        Assert.Equal(WakeReason.Burst, wake.Reason);
        Assert.Equal(grant.BurstId, wake.BurstId);
        await ben.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId);
        Assert.True(await Eventually.TrueAsync(() => ben.FramesOf(grant.BurstId).Count == 6));
        Assert.Equal(0, ben.FramesOf(grant.BurstId)[0].Sequence);
        Assert.True(Array.IndexOf(ben.Control.ToArray(), ben.Control.OfType<Wake>().First())
                    < Array.IndexOf(ben.Control.ToArray(), ben.Control.OfType<BurstStart>().First()));
    }

    [Fact]
    public async Task A_badge_that_wakes_late_gets_the_burst_from_its_first_frame_flagged_replay_then_live()
    {
        await using var g = TestGateway.Create();
        Family(g);
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");
        var cara = await g.ConnectAsync("cara");
        await cara.SendAsync(new SleepAnnouncement { Mode = SleepMode.Pocket, NextCheckInSeconds = 60 });
        await Task.Delay(200);

        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(grant, 5, release: false, gapMs: 20);
        await cara.SendStateAsync(BadgeStatus.Idle);
        await cara.WaitForAsync<BurstStart>(s => s.BurstId == grant.BurstId && (s.Flags & BurstFlags.Replay) != 0);
        Assert.True(await Eventually.TrueAsync(() => cara.FramesOf(grant.BurstId).Count >= 5));
        await Task.Delay(100);
        await anna.TalkAsync(grant, 5, release: true, gapMs: 20, firstSequence: 5);
        await cara.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId);
        Assert.True(await Eventually.TrueAsync(() => cara.FramesOf(grant.BurstId).Count == 10));

        var frames = cara.FramesOf(grant.BurstId);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (ushort)i), frames.Select(f => f.Sequence));
        Assert.All(frames.Take(5), f => Assert.True((f.Flags & FrameFlags.Replay) != 0));
        Assert.All(frames.Skip(5), f => Assert.True((f.Flags & FrameFlags.Replay) == 0));
        Assert.Empty(new SqliteUnplayedStore(g.Database).List("cara"));
    }

    [Fact]
    public async Task The_talker_learns_how_many_hear_it_now_and_how_many_later()
    {
        await using var g = TestGateway.Create();
        Family(g, 8000, "dan");
        g.Channels.Join(1, "dan");
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var cara = await g.ConnectAsync("cara");
        await cara.SendAsync(new SleepAnnouncement { Mode = SleepMode.Pocket, NextCheckInSeconds = 300 });
        await cara.SendStateAsync(BadgeStatus.Pocket);
        await Task.Delay(200);

        // dan is a member without a permit: he hears nothing, so he counts neither now nor later.
        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        var listeners = await anna.WaitForAsync<Listeners>(l => l.BurstId == grant.BurstId);
        Assert.Equal((1, 1, (byte)1), (listeners.Live, listeners.Later, listeners.Channel));
        await anna.TalkAsync(grant, 3);
        await ben.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId);

        await ben.SendAsync(new SleepAnnouncement { Mode = SleepMode.Pocket, NextCheckInSeconds = 300 });
        await ben.SendStateAsync(BadgeStatus.Pocket);
        await Task.Delay(200);
        var alone = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        var nobody = await anna.WaitForAsync<Listeners>(l => l.BurstId == alone.BurstId);
        Assert.Equal((0, 2), (nobody.Live, nobody.Later));
    }

    [Fact]
    public async Task Channel_options_follow_every_config_and_carry_the_end_tone_setting()
    {
        await using var g = TestGateway.Create();
        Family(g);
        g.AddChannel(2, 8000, "anna");
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");
        var first = await anna.WaitForAsync<ChannelOptions>();
        Assert.Equal(ChannelFlags.EndTone, first.FlagsOf(1));
        Assert.Equal(ChannelFlags.EndTone, first.FlagsOf(2));
        var config = anna.Control.OfType<Config>().First();
        Assert.True(Array.IndexOf(anna.Control.ToArray(), config) < Array.IndexOf(anna.Control.ToArray(), first));

        g.Channels.SetEndTone(2, on: false);

        var changed = await anna.WaitForAsync<ChannelOptions>(o => o.FlagsOf(2) == 0);
        Assert.Equal(ChannelFlags.EndTone, changed.FlagsOf(1));
    }

    [Fact]
    public async Task A_low_battery_is_alerted_once_per_discharge_and_walkie_status_shows_battery_and_signal()
    {
        await using var g = TestGateway.Create();
        Family(g);
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");
        foreach (var percent in new byte[] { 40, 14, 12, 13, 80, 15 })
        {
            await anna.SendAsync(new BadgeState { Status = BadgeStatus.Idle, Channel = 1, BatteryPercent = percent, Rssi = -61, Firmware = "test" });
        }

        Assert.True(await Eventually.TrueAsync(() => g.Log.Contains("anna", "battery low: 15 %")));
        Assert.Equal(2, g.Log.Count("anna", "battery low"));
        Assert.True(g.Log.Contains("anna", "battery low: 14 %"));
        Assert.True(await Eventually.TrueAsync(() => new SqliteStatusStore(g.Database).Presence().FirstOrDefault(p => p.BadgeId == "anna")?.BatteryPercent == 15));

        var status = await WalkieCli.RunAsync(g.Directory, "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        var line = Assert.Single(status.Output.Split('\n'), l => l.TrimStart().StartsWith("anna ", StringComparison.Ordinal));
        Assert.Contains("battery 15%, rssi -61", line);
    }

    [Fact]
    public async Task A_pocket_badge_finds_the_burst_in_its_unplayed_queue()
    {
        await using var g = TestGateway.Create();
        Family(g);
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");
        var cara = await g.ConnectAsync("cara");
        await cara.SendAsync(new SleepAnnouncement { Mode = SleepMode.Pocket, NextCheckInSeconds = 300 });
        await cara.SendStateAsync(BadgeStatus.Pocket);
        await Task.Delay(200);
        await cara.DisposeAsync();

        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(grant, 8);
        Assert.True(await Eventually.TrueAsync(() => new SqliteUnplayedStore(g.Database).List("cara").Count == 1));

        var back = await g.ConnectAsync("cara");
        var list = await back.WaitForAsync<UnplayedList>();
        var entry = Assert.Single(list.Entries);
        Assert.Equal(grant.BurstId, entry.BurstId);
        Assert.Equal("Anna", entry.Talker);
        Assert.Equal(8u * 321 * 1000 / 8000, entry.DurationMs); // 321 samples a block

        await back.SendAsync(new PlayRequest { BurstId = grant.BurstId });
        await back.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId);
        var frames = back.FramesOf(grant.BurstId);
        Assert.Equal(8, frames.Count);
        Assert.All(frames, f => Assert.True((f.Flags & FrameFlags.Replay) != 0));
        Assert.Equal(TestFrames.Make(1, grant.BurstId, 3).AsSpan(12).ToArray(), frames[3].Payload.AsSpan(12).ToArray());
        await back.SendAsync(new Played { BurstId = grant.BurstId });
        Assert.True(await Eventually.TrueAsync(() => new SqliteUnplayedStore(g.Database).List("cara").Count == 0));
    }

    [Fact]
    public async Task An_expired_permit_stops_delivery_and_ends_its_holders_floor()
    {
        await using var g = TestGateway.Create();
        Family(g);
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var cara = await g.ConnectAsync("cara");

        var first = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(first, 3);
        await ben.WaitForAsync<BurstEnd>(e => e.BurstId == first.BurstId);

        // Ben's permit now ends in 2 s (a parent's time limit), and he talks across its end: the floor is taken from him.
        g.Permits.Grant("ben", 1, PermitBits.Known, DateTimeOffset.UtcNow.AddSeconds(2), "parent", accepted: true);
        var bens = Assert.IsType<FloorGranted>(await ben.RequestFloorAsync(1));
        var talking = ben.TalkAsync(bens, 150, release: false, gapMs: 40);
        var revoked = await ben.WaitForAsync<PermitRevoked>(timeoutMs: 8000);
        Assert.Equal(RevokeReason.Expired, revoked.Reason);
        Assert.Equal(EndReason.PermitEnded, (await ben.WaitForAsync<FloorRevoked>()).Reason);
        await talking;

        var second = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(second, 3);
        await cara.WaitForAsync<BurstEnd>(e => e.BurstId == second.BurstId);
        await Task.Delay(200);
        Assert.Empty(ben.FramesOf(second.BurstId));
        Assert.False(ben.Has<BurstStart>(s => s.BurstId == second.BurstId));
        Assert.Equal(DenyReason.NoPermit, Assert.IsType<FloorDenied>(await ben.RequestFloorAsync(1)).Reason);
    }

    [Fact]
    public async Task Permits_are_offered_accepted_by_the_badge_and_revoked_by_the_admin_while_running()
    {
        await using var g = TestGateway.Create();
        Family(g, 8000, "dan");
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");
        var dan = await g.ConnectAsync("dan");

        g.Channels.Join(1, "dan");
        g.Permits.Grant("dan", 1, PermitBits.Receive, null, "parent", accepted: false);
        var offer = await dan.WaitForAsync<PermitOffer>();
        Assert.Equal("parent", offer.OfferedBy);
        Assert.Equal(PermitBits.Receive, offer.Permits);

        var before = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(before, 2);
        await Task.Delay(300);
        Assert.Empty(dan.FramesOf(before.BurstId));

        await dan.SendAsync(new PermitAccept { Channel = 1, Permits = PermitBits.Receive });
        await dan.WaitForAsync<Config>(c => c.Find(1)?.Permits == PermitBits.Receive);
        var after = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(after, 2);
        await dan.WaitForAsync<BurstEnd>(e => e.BurstId == after.BurstId);
        Assert.Equal(2, dan.FramesOf(after.BurstId).Count);

        g.Permits.Revoke("dan", 1);
        Assert.Equal(RevokeReason.Revoked, (await dan.WaitForAsync<PermitRevoked>()).Reason);
        var last = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(last, 2);
        await Task.Delay(300);
        Assert.Empty(dan.FramesOf(last.BurstId));
    }
}

public sealed class EmbeddedBrokerScenarios : GatewayScenarios
{
    protected override BrokerKind Broker => BrokerKind.Embedded;
}

/// <summary>The same scenarios on the gateway's in-memory transport: the engine's behaviour without any broker.</summary>
public sealed class InMemoryScenarios : GatewayScenarios
{
    protected override BrokerKind Broker => BrokerKind.InMemory;
}

public sealed class MosquittoScenarios : GatewayScenarios
{
    protected override BrokerKind Broker => BrokerKind.Mosquitto;
}
