using System.Collections.Concurrent;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Playback;

/// <summary>The engine's observers' <c>OnBurstPlayed</c>, which the Matrix bridge turns into read receipts ("heard by").</summary>
public sealed class PlayedObserverTests
{
    [Fact]
    public async Task A_played_report_reaches_the_observers_and_a_failing_observer_does_not_stop_the_engine()
    {
        await using var g = TestGateway.Create();
        g.AddBadge("anna");
        g.AddBadge("ben");
        g.AddChannel(1, 8000, "anna", "ben");
        await g.StartAsync();
        var heard = new ConcurrentQueue<(string, uint)>();
        var failures = 0;
        g.Host.Engine.Observers.Add(new PlayedObserver((_, _) =>
        {
            Interlocked.Increment(ref failures);
            throw new InvalidOperationException("an observer's bug");
        }));
        g.Host.Engine.Observers.Add(new PlayedObserver((badge, burst) => heard.Enqueue((badge, burst))));

        var ben = await g.ConnectAsync("ben");
        await ben.SendAsync(new Played { BurstId = 41 });
        var anna = await g.ConnectAsync("anna");
        await anna.SendAsync(new Played { BurstId = 42 });

        Assert.True(await Eventually.TrueAsync(() => heard.Count == 2), "the played reports did not reach the observer");
        Assert.Equal([("ben", 41u), ("anna", 42u)], heard.ToArray());
        Assert.Equal(2, failures); // each call reached the failing observer first, and the engine went on
    }

    private sealed class PlayedObserver(Action<string, uint> played) : IGatewayObserver
    {
        public void OnBurstPlayed(string badgeId, uint burstId) => played(badgeId, burstId);
    }
}
