using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Playback;
using WalkieTalkie.Badge.Tests.Fakes;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Tests;

/// <summary>Catching up on missed bursts, driven directly: a queue, a transport and an observer, no controller.</summary>
public class UnplayedRequestsTests
{
    private const int TimeoutMilliseconds = 5000;

    private readonly FakeTransport _transport = new() { IsConnected = true };
    private readonly RecordingObserver _observer = new();
    private readonly UnplayedRequests _requests;

    public UnplayedRequestsTests()
    {
        _requests = new UnplayedRequests(new UnplayedQueue(4), new GatewayLink(_transport, "kid-1"), _observer, TimeoutMilliseconds);
    }

    private List<uint> RequestedBursts() => _transport.Control<PlayRequest>().Select(r => r.BurstId).ToList();

    [Fact]
    public void A_burst_is_queued_once_and_told_once()
    {
        _requests.Add(10, 1);
        _requests.Add(10, 1);
        _requests.Add(11, 2);

        Assert.Equal(2, _requests.Queue.Count);
        Assert.Equal(
            [(BadgeEvent.Queued, (byte)1, 10u, 1), (BadgeEvent.Queued, (byte)2, 11u, 2)],
            _observer.Events);
    }

    [Fact]
    public void The_next_burst_is_asked_for_in_the_configured_order()
    {
        _requests.Add(10, 1);
        _requests.Add(11, 2);
        _requests.Add(12, 2);

        Assert.True(_requests.RequestNext(1000, PlaybackOrder.NewestChannelFirst));

        // The newest burst is on channel 2: channel 2's oldest comes before the older burst on channel 1.
        Assert.Equal([11u], RequestedBursts());
        Assert.Equal(11u, _requests.Requested);
        Assert.Contains((BadgeEvent.PlayRequested, (byte)2, 11u, 3), _observer.Events);
    }

    [Fact]
    public void Nothing_queued_asks_for_nothing()
    {
        Assert.False(_requests.RequestNext(1000, PlaybackOrder.InOrder));
        Assert.False(_requests.IsWaiting(1000));
        Assert.Empty(RequestedBursts());
    }

    [Fact]
    public void A_requested_burst_that_does_not_come_is_given_up_at_the_timeout_and_the_next_is_asked_for()
    {
        _requests.Add(10, 1);
        _requests.Add(11, 1);
        _requests.RequestNext(1000, PlaybackOrder.InOrder);

        Assert.True(_requests.IsWaiting(1000 + TimeoutMilliseconds - 1));
        Assert.False(_requests.IsWaiting(1000 + TimeoutMilliseconds));

        Assert.Equal(0u, _requests.Requested);
        Assert.False(_requests.Queue.Contains(10));
        Assert.True(_requests.RequestNext(1000 + TimeoutMilliseconds, PlaybackOrder.InOrder));
        Assert.Equal([10u, 11u], RequestedBursts());
    }

    [Fact]
    public void A_free_badge_may_start_a_burst_not_queued_or_the_one_asked_for_but_not_one_waiting_its_turn()
    {
        _requests.Add(10, 1);
        _requests.Add(11, 1);
        _requests.RequestNext(1000, PlaybackOrder.InOrder);

        Assert.True(_requests.MayStart(99));
        Assert.True(_requests.MayStart(10));
        Assert.False(_requests.MayStart(11));
    }

    [Fact]
    public void Starting_another_burst_keeps_the_requested_one_queued_to_be_asked_for_again()
    {
        _requests.Add(10, 1);
        _requests.RequestNext(1000, PlaybackOrder.InOrder);

        _requests.Started(99);

        Assert.Equal(0u, _requests.Requested);
        Assert.True(_requests.Queue.Contains(10));
        Assert.False(_requests.IsWaiting(1001));
        Assert.True(_requests.RequestNext(2000, PlaybackOrder.InOrder));
        Assert.Equal([10u, 10u], RequestedBursts());
    }

    [Fact]
    public void Starting_the_requested_burst_keeps_the_request_until_it_is_finished()
    {
        _requests.Add(10, 1);
        _requests.RequestNext(1000, PlaybackOrder.InOrder);

        _requests.Started(10);
        Assert.Equal(10u, _requests.Requested);

        _requests.Finished(10);
        Assert.Equal(0u, _requests.Requested);
        Assert.Equal(0, _requests.Queue.Count);
    }

    [Fact]
    public void A_finished_burst_leaves_the_queue_and_another_request_stands()
    {
        _requests.Add(10, 1);
        _requests.Add(11, 1);
        _requests.RequestNext(1000, PlaybackOrder.InOrder);

        _requests.Finished(11);

        Assert.Equal(10u, _requests.Requested);
        Assert.False(_requests.Queue.Contains(11));
        Assert.True(_requests.IsWaiting(1001));
    }

    [Fact]
    public void A_burst_put_back_after_a_lost_connection_is_queued_quietly_and_the_request_forgotten()
    {
        _requests.Add(10, 1);
        _requests.RequestNext(1000, PlaybackOrder.InOrder);
        var events = _observer.Events.Count;

        _requests.PutBack(20, 2);

        Assert.True(_requests.Queue.Contains(20));
        Assert.Equal(2, _requests.Queue.ChannelOf(20));
        Assert.Equal(0u, _requests.Requested);
        Assert.Equal(events, _observer.Events.Count);
    }
}
