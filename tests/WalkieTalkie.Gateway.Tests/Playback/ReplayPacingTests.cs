using System.Diagnostics;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Simulation;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;
using Xunit.Abstractions;

namespace WalkieTalkie.Gateway.Tests.Playback;

/// <summary>
/// What the gateway streams from a recording (to a badge back from its pocket, or to one that joins a burst late) goes
/// out a few frames ahead of real time and no more: a badge plays in real time and holds 8 frames, and gives up what
/// comes beyond that. At twice real time, as the gateway once streamed, a 5 s burst lost 54 of its 125 frames.
/// </summary>
public sealed class ReplayPacingTests(ITestOutputHelper output)
{
    private const int Rate = 8000;
    private const int FrameCount = 125;
    private const double FrameMilliseconds = 321 * 1000.0 / Rate; // one 321-sample block a frame

    private static async Task<TestGateway> FamilyAsync()
    {
        var g = TestGateway.Create();
        g.AddBadge("anna");
        g.AddBadge("ben");
        g.AddChannel(1, Rate, "anna", "ben");
        await g.StartAsync();
        return g;
    }

    /// <summary>Ben announces his pocket and drops his connection, then Anna talks: her burst waits in his unplayed queue.</summary>
    private static async Task<FloorGranted> SaidWhileBenIsInHisPocketAsync(TestGateway g)
    {
        var away = await g.ConnectAsync("ben");
        await away.SendAsync(new SleepAnnouncement { Mode = SleepMode.Pocket, NextCheckInSeconds = 300 });
        await away.SendStateAsync(BadgeStatus.Pocket);
        await Task.Delay(200);
        await away.DisposeAsync();

        var anna = await g.ConnectAsync("anna");
        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(grant, FrameCount, gapMs: 10);
        Assert.True(await Eventually.TrueAsync(() => new SqliteUnplayedStore(g.Database).List("ben").Count == 1), "the burst was not queued for ben");
        return grant;
    }

    /// <summary>Every frame of the burst came, in order, and at most the gateway's lead ahead of real time.</summary>
    private void AssertPaced(TestGateway g, TestBadge badge, uint burstId, long since)
    {
        var arrivals = badge.ArrivalsOf(burstId);
        Assert.Equal(Enumerable.Range(0, FrameCount).Select(i => (ushort)i), arrivals.Select(a => a.Sequence));
        Assert.True(MostAhead(arrivals, since) <= g.Options.ReplayLeadFrames + 0.5, "the frames came faster than real time");
    }

    /// <summary>
    /// How far ahead of real time the frames came, at most, counted from <paramref name="since"/> (before the gateway
    /// could start streaming): frame i (from 0) arriving at t is i + 1 − t / frame duration frames ahead. A stalled
    /// machine only delays frames, which counts as less ahead, never more.
    /// </summary>
    private double MostAhead(List<(ushort Sequence, long ArrivedAt)> arrivals, long since)
    {
        var ahead = arrivals.Select((a, i) => i + 1 - Stopwatch.GetElapsedTime(since, a.ArrivedAt).TotalMilliseconds / FrameMilliseconds).Max();
        output.WriteLine($"{arrivals.Count} frames, at most {ahead:0.0} frames ahead of real time");
        return ahead;
    }

    [Fact]
    public async Task A_recording_asked_for_after_the_pocket_is_streamed_at_most_the_lead_ahead_of_real_time()
    {
        await using var g = await FamilyAsync();
        var grant = await SaidWhileBenIsInHisPocketAsync(g);

        var ben = await g.ConnectAsync("ben");
        await ben.WaitForAsync<UnplayedList>();
        var asked = Stopwatch.GetTimestamp();
        await ben.SendAsync(new PlayRequest { BurstId = grant.BurstId });
        await ben.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId, timeoutMs: 15000);
        AssertPaced(g, ben, grant.BurstId, asked);
    }

    [Fact]
    public async Task A_badge_joining_a_burst_late_gets_it_from_its_first_frame_at_most_the_lead_ahead_of_real_time()
    {
        await using var g = await FamilyAsync();
        var ben = await g.ConnectAsync("ben");
        await ben.SendAsync(new SleepAnnouncement { Mode = SleepMode.Pocket, NextCheckInSeconds = 300 });
        await Task.Delay(200);
        var anna = await g.ConnectAsync("anna");
        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        var talking = anna.TalkAsync(grant, FrameCount, gapMs: 40);

        await Task.Delay(1000);
        var joined = Stopwatch.GetTimestamp();
        await ben.SendStateAsync(BadgeStatus.Idle);
        await talking;
        await ben.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId, timeoutMs: 15000);
        AssertPaced(g, ben, grant.BurstId, joined);
    }

    [Fact]
    public async Task A_virtual_badge_back_from_its_pocket_plays_a_long_queued_burst_with_the_devices_jitter_buffer()
    {
        await using var g = await FamilyAsync();
        var grant = await SaidWhileBenIsInHisPocketAsync(g);

        // The badge's own tunables: an 8-frame jitter window and a 2-frame prefill, as on the device.
        await using var fleet = new VirtualBadgeFleet { Log = (_, line) => output.WriteLine(line) };
        fleet.Add(new VirtualBadgeSettings { Id = "ben", Port = g.BadgePort, Password = g.Secrets["ben"], Channels = [new VirtualChannel(1, Rate)] });
        fleet.Start();
        var done = await fleet.WaitUntilAsync(f => f.Badges[0].Bursts.Any(b => b.BurstId == grant.BurstId && b.Complete)
                                                   && f.Badges[0].Mode == BadgeMode.Idle, TimeSpan.FromSeconds(20));
        var summary = await fleet.StopAsync();
        Assert.True(done, "the badge never finished playing the burst");
        var burst = Assert.Single(summary["ben"].Bursts, b => b.BurstId == grant.BurstId);
        output.WriteLine($"received {burst.FramesReceived}, played {burst.BlocksPlayed}, given up {burst.FramesSkipped}, " +
                         $"lost {burst.FramesLost}, concealed {burst.BlocksConcealed}, underruns {burst.Underruns}");
        // Streamed in real time the badge plays all 125 on an idle machine; a machine stalled for a quarter second
        // piles frames up beyond the window and costs a few. Twice real time cost 54.
        Assert.True(burst.BlocksPlayed >= FrameCount - 15, $"only {burst.BlocksPlayed} of {FrameCount} frames played");
    }
}
