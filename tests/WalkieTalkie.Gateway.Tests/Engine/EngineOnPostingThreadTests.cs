using System.Collections.Concurrent;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Engine;

/// <summary>
/// An idle engine handles a badge's message on the thread its transport handed it over on, not on a pool thread woken
/// for it: one thread wake-up less per audio frame.
/// </summary>
public sealed class EngineOnPostingThreadTests
{
    [Fact]
    public async Task A_badges_message_to_an_idle_engine_is_handled_on_the_thread_that_received_it()
    {
        await using var g = TestGateway.Create();
        g.AddBadge("ben");
        g.AddChannel(1, 8000, "ben");
        await g.StartAsync(BrokerKind.InMemory);
        var ben = await g.ConnectAsync("ben");
        var handledOn = new ConcurrentQueue<(uint BurstId, int Thread)>();
        using var _ = g.Host.Engine.Observers.Add(new PlayedObserver((_, burstId) => handledOn.Enqueue((burstId, Environment.CurrentManagedThreadId))));

        // A tick may be being handled at that very moment (the loop is busy, and its thread takes the message): a few
        // tries, each once the engine has nothing queued.
        var inline = 0;
        for (uint burstId = 1; burstId <= 20 && inline == 0; burstId++)
        {
            Assert.True(await Eventually.TrueAsync(() => g.Host.Engine.QueuedEvents == 0));
            var here = Environment.CurrentManagedThreadId;
            var sent = ben.SendAsync(new Played { BurstId = burstId }); // the in-memory link hands it over on this thread
            inline = handledOn.Count(h => h.BurstId == burstId && h.Thread == here);
            await sent;
        }

        Assert.Equal(1, inline);
    }

    private sealed class PlayedObserver(Action<string, uint> played) : IGatewayObserver
    {
        public void OnBurstPlayed(string badgeId, uint burstId) => played(badgeId, burstId);
    }
}
