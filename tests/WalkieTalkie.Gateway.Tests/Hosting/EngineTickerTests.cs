using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Hosting;

/// <summary>
/// The ticker ticks every 20 ms only while the engine has paced work; otherwise once when something is due (a held
/// floor's grace, lease or talk limit, the once-a-second checks), so that neither an idle gateway nor one relaying a
/// burst wakes its loop more than about once a second, and a floor is still judged on time. The gateways on a fake
/// clock move it on by hand, each step taken by the engine before the next (a request the holder repeats is answered
/// after the ticks posted before it), with the host's ticker replaced by one whose timer is counted.
/// </summary>
public sealed class EngineTickerTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(40);

    /// <summary>What the old ticker (every 100 ms while a floor was held) allowed: a floor's limit noticed one tick late.</summary>
    private static readonly TimeSpan OneOldTick = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task A_steady_burst_ticks_the_engine_about_once_a_second_not_ten_times()
    {
        await using var t = await FakeClockGateway.StartAsync(leaseSeconds: 1.5);
        var grant = Assert.IsType<FloorGranted>(await t.Anna.RequestFloorAsync(1));
        var before = t.Ticks.Fired;
        for (var i = 0; i < 150; i++)
        {
            await t.Anna.SendFrameAsync(TestFrames.Make(1, grant.BurstId, (ushort)i));
            await t.StepAsync(Step);
        }

        // Six seconds of frames, each renewing the lease: the timer fires at the checks' pace (the lease's end, pushed
        // later by every frame, is never the first thing due). Ticking every 100 ms, it fired sixty times.
        var ticks = t.Ticks.Fired - before;
        Assert.InRange(ticks, 5, 8);
        Assert.Equal(150, t.Ben.FramesOf(grant.BurstId).Count);
        Assert.False(t.Anna.Has<FloorRevoked>());
        Assert.Equal(1, t.Ticks.Created);
    }

    [Fact]
    public async Task A_grant_that_never_talks_loses_the_floor_at_the_end_of_its_first_frame_grace()
    {
        await using var t = await FakeClockGateway.StartAsync(graceSeconds: 0.5);
        var granted = t.Clock.GetUtcNow();
        Assert.IsType<FloorGranted>(await t.Anna.RequestFloorAsync(1));
        var revoked = await t.StepUntilRevokedAsync();

        Assert.Equal(EndReason.LeaseLost, revoked.Reason);
        Assert.InRange(t.Clock.GetUtcNow() - granted, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(0.5) + OneOldTick);
        Assert.Equal(EndReason.LeaseLost, (await t.Ben.WaitForAsync<BurstEnd>()).Reason);
    }

    [Fact]
    public async Task A_holder_whose_frames_stop_loses_the_floor_when_its_lease_ends()
    {
        await using var t = await FakeClockGateway.StartAsync(leaseSeconds: 1.5);
        var grant = Assert.IsType<FloorGranted>(await t.Anna.RequestFloorAsync(1));
        for (var i = 0; i < 25; i++)
        {
            await t.StepAsync(Step);
            await t.Anna.SendFrameAsync(TestFrames.Make(1, grant.BurstId, (ushort)i));
        }

        await t.StepAsync(TimeSpan.Zero); // the last frame taken
        var lastFrame = t.Clock.GetUtcNow();
        var revoked = await t.StepUntilRevokedAsync();

        Assert.Equal(EndReason.LeaseLost, revoked.Reason);
        Assert.InRange(t.Clock.GetUtcNow() - lastFrame, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(1.5) + OneOldTick);
    }

    [Fact]
    public async Task A_talker_is_cut_at_the_channels_maximum_talk_time()
    {
        await using var t = await FakeClockGateway.StartAsync(maxTalkSeconds: 2);
        var granted = t.Clock.GetUtcNow();
        var grant = Assert.IsType<FloorGranted>(await t.Anna.RequestFloorAsync(1));
        ushort sequence = 0;

        var revoked = await t.StepUntilRevokedAsync(() => t.Anna.SendFrameAsync(TestFrames.Make(1, grant.BurstId, sequence++)));

        Assert.Equal(EndReason.MaxTalkTime, revoked.Reason);
        Assert.InRange(t.Clock.GetUtcNow() - granted, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2) + OneOldTick + Step);
    }

    [Fact]
    public async Task A_burst_alone_needs_no_paced_ticks_and_a_late_joiners_catch_up_does()
    {
        await using var g = TestGateway.Create();
        g.AddBadge("anna");
        g.AddBadge("ben");
        g.AddChannel(1, 8000, "anna", "ben");
        await g.StartAsync(BrokerKind.InMemory);
        var anna = await g.ConnectAsync("anna");

        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(grant, 10, release: false, gapMs: 40);
        var talking = anna.TalkAsync(grant, 50, gapMs: 40, firstSequence: 10);
        Assert.False(g.Host.Engine.NeedsPacedTicks);

        // Ben comes online mid-burst, ten frames in (more than are sent to him at once): the frames he missed are
        // streamed to him at the frame rate. (Counted by time, the frames sent before he joined were as few as two on a
        // slow start, all sent at once.)
        var ben = await g.ConnectAsync("ben");
        Assert.True(await Eventually.TrueAsync(() => g.Host.Engine.NeedsPacedTicks));
        await talking;
        await ben.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId, timeoutMs: 15000);
        Assert.Equal(Enumerable.Range(0, 60).Select(i => (ushort)i), ben.FramesOf(grant.BurstId).Select(f => f.Sequence));
        Assert.True(await Eventually.TrueAsync(() => !g.Host.Engine.NeedsPacedTicks));
    }

    /// <summary>
    /// Anna and Ben on channel 1 of a gateway on a fake clock, connected, with a ticker on that clock whose timer's
    /// fires are counted in place of the host's.
    /// </summary>
    private sealed class FakeClockGateway : IAsyncDisposable
    {
        private FakeClockGateway(TestGateway gateway, FakeTimeProvider clock, CountingTimeProvider ticks, EngineTicker ticker, TestBadge anna, TestBadge ben)
        {
            Gateway = gateway;
            Clock = clock;
            Ticks = ticks;
            Ticker = ticker;
            Anna = anna;
            Ben = ben;
        }

        public TestGateway Gateway { get; }

        public FakeTimeProvider Clock { get; }

        public CountingTimeProvider Ticks { get; }

        public EngineTicker Ticker { get; }

        public TestBadge Anna { get; }

        public TestBadge Ben { get; }

        public static async Task<FakeClockGateway> StartAsync(double leaseSeconds = 3, double graceSeconds = 3, int maxTalkSeconds = 30)
        {
            var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
            var g = TestGateway.Create();
            g.Time = clock;
            g.Floor.LeaseSeconds = leaseSeconds;
            g.Floor.FirstFrameGraceSeconds = graceSeconds;
            g.Services = services => services.Remove(services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(EngineTicker)));
            g.AddBadge("anna");
            g.AddBadge("ben");
            g.Channels.Add(1, "ch1", 8000, maxTalkSeconds);
            foreach (var member in new[] { "anna", "ben" })
            {
                g.Channels.Join(1, member);
                g.Permits.Grant(member, 1, PermitBits.Known, null, "test", accepted: true);
            }

            await g.StartAsync(BrokerKind.InMemory);
            var anna = await g.ConnectAsync("anna");
            var ben = await g.ConnectAsync("ben");
            var ticks = new CountingTimeProvider(clock);
            var ticker = new EngineTicker(g.Host.Engine, ticks);
            await ticker.StartAsync(CancellationToken.None);
            return new FakeClockGateway(g, clock, ticks, ticker, anna, ben);
        }

        /// <summary>Moves the clock on in steps of 40 ms at most, each taken by the engine (its ticks too) before the next.</summary>
        public async Task StepAsync(TimeSpan by)
        {
            do
            {
                var step = by < Step ? by : Step;
                Clock.Advance(step);
                by -= step;
                await TakenAsync();
            }
            while (by > TimeSpan.Zero);
        }

        /// <summary>Steps the clock (doing <paramref name="eachStep"/> first each time) until Anna's floor is revoked.</summary>
        public async Task<FloorRevoked> StepUntilRevokedAsync(Func<Task>? eachStep = null)
        {
            for (var steps = 0; steps < 1000; steps++)
            {
                if (eachStep is not null)
                {
                    await eachStep();
                }

                await StepAsync(TimeSpan.FromMilliseconds(10));
                if (Anna.Control.OfType<FloorRevoked>().FirstOrDefault() is { } revoked)
                {
                    return revoked;
                }
            }

            throw new TimeoutException("the floor was never revoked");
        }

        // Anna asks for channel 1 again: answered once the engine took everything posted before, the ticks included (a
        // holder's repeated request changes nothing; once revoked, the test has what it waited for).
        private async Task TakenAsync() => await Anna.RequestFloorAsync(1);

        public async ValueTask DisposeAsync()
        {
            await Ticker.StopAsync(CancellationToken.None);
            Ticker.Dispose();
            await Gateway.DisposeAsync();
        }
    }
}
