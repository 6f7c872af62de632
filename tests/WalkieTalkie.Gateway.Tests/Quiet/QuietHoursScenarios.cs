using WalkieTalkie.Gateway.Quiet;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Quiet;

/// <summary>
/// Quiet hours and do-not-disturb end to end: a quiet badge is given nothing, the burst waits in its unplayed queue
/// and is offered when the quiet ends; a priority talker plays through.
/// </summary>
public abstract class QuietHoursScenarios
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    protected abstract BrokerKind Broker { get; }

    private static TestGateway Family(ShiftedClock clock)
    {
        var g = TestGateway.Create();
        g.Time = clock;
        g.AddBadge("anna");
        g.AddBadge("ben");
        g.AddBadge("zoe", priority: true);
        g.AddChannel(1, 8000, "anna", "ben", "zoe");
        return g;
    }

    [Fact]
    public async Task Quiet_hours_hold_a_burst_and_release_it_at_the_end_of_the_window_while_a_priority_talker_plays_through()
    {
        var clock = new ShiftedClock();
        await using var g = Family(clock);
        // Ben's school hours, in Berlin's wall-clock time: from an hour ago to an hour from now, every day.
        var berlinNow = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Berlin).DateTime);
        var quiet = new SqliteQuietStore(g.Database);
        quiet.Add(QuietScope.Badge, "ben", QuietDays.Parse("daily"), berlinNow.AddHours(-1), berlinNow.AddHours(1), "Europe/Berlin");
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var zoe = await g.ConnectAsync("zoe");

        var held = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(held, 5);
        await zoe.WaitForAsync<BurstEnd>(e => e.BurstId == held.BurstId);
        await Task.Delay(500);
        Assert.False(ben.Has<BurstStart>(s => s.BurstId == held.BurstId));
        Assert.Empty(ben.FramesOf(held.BurstId));
        Assert.False(ben.Has<UnplayedList>(l => l.Entries.Any(e => e.BurstId == held.BurstId)));
        Assert.True(await Eventually.TrueAsync(() => new SqliteUnplayedStore(g.Database).Contains("ben", held.BurstId)));

        var overriding = Assert.IsType<FloorGranted>(await zoe.RequestFloorAsync(1));
        await zoe.TalkAsync(overriding, 5);
        await ben.WaitForAsync<BurstEnd>(e => e.BurstId == overriding.BurstId);
        Assert.True(await Eventually.TrueAsync(() => ben.FramesOf(overriding.BurstId).Count == 5));

        clock.Advance(TimeSpan.FromHours(2));
        var released = await ben.WaitForAsync<UnplayedList>(l => l.Entries.Any(e => e.BurstId == held.BurstId));
        Assert.DoesNotContain(released.Entries, e => e.BurstId == overriding.BurstId);
        await ben.SendAsync(new PlayRequest { BurstId = held.BurstId });
        await ben.WaitForAsync<BurstEnd>(e => e.BurstId == held.BurstId);
        Assert.True(await Eventually.TrueAsync(() => ben.FramesOf(held.BurstId).Count == 5));
    }

    [Fact]
    public async Task Do_not_disturb_holds_bursts_until_it_is_turned_off_and_the_badge_still_talks()
    {
        var clock = new ShiftedClock();
        await using var g = Family(clock);
        var quiet = new SqliteQuietStore(g.Database);
        quiet.SetDoNotDisturb("ben", true);
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");

        var held = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(held, 4);
        await Task.Delay(500);
        Assert.False(ben.Has<BurstStart>(s => s.BurstId == held.BurstId));
        Assert.False(ben.Has<UnplayedList>(l => l.Entries.Any(e => e.BurstId == held.BurstId)));

        await ben.SendAsync(new PlayRequest { BurstId = held.BurstId });
        await Task.Delay(300);
        Assert.False(ben.Has<BurstStart>(s => s.BurstId == held.BurstId));

        var own = Assert.IsType<FloorGranted>(await ben.RequestFloorAsync(1));
        await ben.TalkAsync(own, 3);
        await anna.WaitForAsync<BurstEnd>(e => e.BurstId == own.BurstId);

        quiet.SetDoNotDisturb("ben", false);
        var released = await ben.WaitForAsync<UnplayedList>(l => l.Entries.Any(e => e.BurstId == held.BurstId));
        Assert.Equal("Anna", released.Entries.Single(e => e.BurstId == held.BurstId).Talker);
    }

    [Fact]
    public async Task The_wearers_toggle_turns_do_not_disturb_on_and_off_and_the_badge_is_told_what_waits()
    {
        await using var g = Family(new ShiftedClock());
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");

        await ben.SendAsync(new DoNotDisturb { On = true });
        var on = await ben.WaitForAsync<QuietState>(q => q.Flags == (QuietFlags.Quiet | QuietFlags.DoNotDisturb));
        Assert.Equal(0, on.Waiting);
        Assert.Contains("ben", new SqliteQuietStore(g.Database).DoNotDisturb());

        var held = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(held, 3);
        var waiting = await ben.WaitForAsync<QuietState>(q => q.Waiting == 1);
        Assert.Equal(QuietFlags.Quiet | QuietFlags.DoNotDisturb, waiting.Flags);
        Assert.False(ben.Has<BurstStart>(s => s.BurstId == held.BurstId));

        await ben.SendAsync(new DoNotDisturb { On = false });
        await ben.WaitForAsync<QuietState>(q => q.Flags == 0 && q.Waiting == 0);
        await ben.WaitForAsync<UnplayedList>(l => l.Entries.Any(e => e.BurstId == held.BurstId));
        Assert.Empty(new SqliteQuietStore(g.Database).DoNotDisturb());
    }
    [Fact]
    public async Task Walkie_status_shows_each_badges_quiet_state_and_how_many_bursts_wait()
    {
        await using var g = Family(new ShiftedClock());
        var quiet = new SqliteQuietStore(g.Database);
        quiet.SetDoNotDisturb("ben", true);
        // The command reads the wall clock: a window from an hour ago to an hour from now is active whenever it runs.
        var utcNow = TimeOnly.FromDateTime(DateTime.UtcNow);
        quiet.Add(QuietScope.Badge, "zoe", QuietDays.Parse("daily"), utcNow.AddHours(-1), utcNow.AddHours(1), "UTC");
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");
        await g.ConnectAsync("ben");

        var held = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(held, 3);
        Assert.True(await Eventually.TrueAsync(() => new SqliteUnplayedStore(g.Database).Contains("ben", held.BurstId)));

        var status = await WalkieCli.RunAsync(g.Directory, "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        var lines = status.Output.Split('\n');
        var ben = Assert.Single(lines, l => l.TrimStart().StartsWith("ben ", StringComparison.Ordinal));
        Assert.Contains(", quiet: do-not-disturb, 1 waiting", ben);
        var zoe = Assert.Single(lines, l => l.TrimStart().StartsWith("zoe ", StringComparison.Ordinal));
        Assert.Contains(", quiet: quiet hours on ch 1, 1 waiting", zoe);
        var annaLine = Assert.Single(lines, l => l.TrimStart().StartsWith("anna ", StringComparison.Ordinal));
        Assert.DoesNotContain("quiet:", annaLine);
        Assert.EndsWith(", 0 waiting", annaLine.TrimEnd());
    }
}

public sealed class EmbeddedBrokerQuietHours : QuietHoursScenarios
{
    protected override BrokerKind Broker => BrokerKind.Embedded;
}

public sealed class MosquittoQuietHours : QuietHoursScenarios
{
    protected override BrokerKind Broker => BrokerKind.Mosquitto;
}
