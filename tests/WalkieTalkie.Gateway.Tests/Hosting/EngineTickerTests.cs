using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Hosting;

/// <summary>
/// The ticker ticks every 20 ms only while the engine has paced work, every 100 ms while it has only a floor to judge,
/// so that neither an idle gateway nor one relaying a burst wakes its loop fifty times a second; a floor granted after
/// an idle stretch still has its timers moved on, and a stream that starts during a burst gets its paced ticks.
/// </summary>
public sealed class EngineTickerTests
{
    [Fact]
    public async Task The_engine_wants_fast_ticks_from_a_grant_to_the_end_of_its_burst_only()
    {
        await using var g = TestGateway.Create();
        var (anna, ben) = await IdlePairAsync(g);
        var wanted = g.Host.Engine.FastTicksWanted();
        Assert.False(wanted.IsCompleted);

        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));

        await wanted.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(g.Host.Engine.NeedsFastTicks);
        Assert.True(g.Host.Engine.FastTicksWanted().IsCompleted);
        await anna.TalkAsync(grant, 3);
        await ben.WaitForAsync<BurstEnd>();
        Assert.True(await Eventually.TrueAsync(() => !g.Host.Engine.NeedsFastTicks));
        Assert.False(g.Host.Engine.FastTicksWanted().IsCompleted);
    }

    [Fact]
    public async Task A_holder_granted_after_an_idle_stretch_that_never_talks_loses_the_floor()
    {
        await using var g = TestGateway.Create();
        g.Floor.FirstFrameGraceSeconds = 0.5;
        var (anna, ben) = await IdlePairAsync(g);

        Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));

        Assert.Equal(EndReason.LeaseLost, (await anna.WaitForAsync<FloorRevoked>()).Reason);
        Assert.Equal(EndReason.LeaseLost, (await ben.WaitForAsync<BurstEnd>()).Reason);
        Assert.True(await Eventually.TrueAsync(() => !g.Host.Engine.NeedsFastTicks));
    }

    [Fact]
    public async Task A_burst_alone_wants_only_the_floors_ticks_and_a_late_joiners_catch_up_wants_paced_ones()
    {
        await using var g = TestGateway.Create();
        g.AddBadge("anna");
        g.AddBadge("ben");
        g.AddChannel(1, 8000, "anna", "ben");
        await g.StartAsync(BrokerKind.InMemory);
        var anna = await g.ConnectAsync("anna");
        Assert.True(await Eventually.TrueAsync(() => !g.Host.Engine.NeedsFastTicks));
        var paced = g.Host.Engine.PacedTicksWanted();

        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        var talking = anna.TalkAsync(grant, 60, gapMs: 40);
        Assert.True(await Eventually.TrueAsync(() => g.Host.Engine.NeedsFastTicks));
        Assert.False(g.Host.Engine.NeedsPacedTicks);
        Assert.False(paced.IsCompleted);

        // Ben comes online mid-burst: the frames he missed are streamed to him at the frame rate.
        var ben = await g.ConnectAsync("ben");
        await paced.WaitAsync(TimeSpan.FromSeconds(10));
        await talking;
        await ben.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId, timeoutMs: 15000);
        Assert.Equal(Enumerable.Range(0, 60).Select(i => (ushort)i), ben.FramesOf(grant.BurstId).Select(f => f.Sequence));
        Assert.True(await Eventually.TrueAsync(() => !g.Host.Engine.NeedsFastTicks));
    }

    [Fact]
    public async Task A_talking_gateways_ticker_fires_one_timer_again_and_again_instead_of_making_one_per_tick()
    {
        await using var g = TestGateway.Create();
        var (anna, ben) = await IdlePairAsync(g);
        var time = new CountingTimeProvider();
        using var ticker = new EngineTicker(g.Host.Engine, time);
        await ticker.StartAsync(CancellationToken.None);

        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(grant, 30, gapMs: 40);
        await ben.WaitForAsync<BurstEnd>();
        await ticker.StopAsync(CancellationToken.None);

        // About twelve ticks at 100 ms over the 1.2 s burst; before, each wait made a timer of its own.
        Assert.True(time.Fired >= 5, $"the ticker fired {time.Fired} times");
        Assert.Equal(1, time.Created);
    }

    /// <summary>Anna and Ben on channel 1, connected, with the engine idle (nothing timed).</summary>
    private static async Task<(TestBadge Anna, TestBadge Ben)> IdlePairAsync(TestGateway g)
    {
        g.AddBadge("anna");
        g.AddBadge("ben");
        g.AddChannel(1, 8000, "anna", "ben");
        await g.StartAsync(BrokerKind.InMemory);
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        Assert.True(await Eventually.TrueAsync(() => !g.Host.Engine.NeedsFastTicks));
        return (anna, ben);
    }
}
