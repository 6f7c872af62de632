using System.Buffers;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Transports.Mqtt;

namespace WalkieTalkie.Gateway.Tests.Transports;

/// <summary>
/// The external broker's downlink (<see cref="DownlinkPublisher"/>) against a fake MQTT client whose PUBACKs the test
/// gives, withholds or fails: publishes reach the client in the order asked, nothing waits for a PUBACK, audio is
/// dropped (counted) when the window of unacknowledged publishes is full, control is never dropped, a failed publish
/// frees its place without holding back or reordering what follows, and a control message whose PUBACK does not come
/// is counted overdue, gives its place back and is left with the client (the outage logged once).
/// </summary>
public sealed class DownlinkPublisherTests
{
    private static readonly TimeSpan NoAckWaitLimit = TimeSpan.FromHours(1);

    private static DownlinkPublisher Publisher(FakeClient client, int window, TimeSpan? audioAckWait = null, TimeSpan? controlAckWait = null,
        ListLoggerProvider? log = null) =>
        new(client.PublishAsync, window, audioAckWait ?? NoAckWaitLimit, controlAckWait ?? NoAckWaitLimit,
            log?.CreateLogger("downlink") ?? NullLogger.Instance);

    [Fact]
    public async Task Audio_and_control_reach_the_client_in_the_order_asked_and_neither_waits_for_its_puback()
    {
        var client = new FakeClient();
        var publisher = Publisher(client, 16);

        Assert.True(publisher.Fire(Message("a1")));
        Assert.True(publisher.Fire(Message("a2")));
        publisher.Send(Message("end")); // returns with its PUBACK still to come
        Assert.True(publisher.Fire(Message("a3")));

        Assert.Equal(["a1", "a2", "end", "a3"], client.Topics);
        Assert.Equal(4, publisher.InFlight);
        Assert.Equal(1, publisher.ControlPending);
        client.Ack("end");
        Assert.True(await Eventually.TrueAsync(() => publisher.ControlPending == 0, 10_000));
        client.AckAll();
        Assert.True(await Eventually.TrueAsync(() => publisher.InFlight == 0, 10_000));
        Assert.Equal(0, publisher.Dropped);
        Assert.Equal(0, publisher.Failed);
    }

    [Fact]
    public async Task A_full_window_drops_audio_without_waiting_and_takes_it_again_once_a_puback_frees_a_place()
    {
        var client = new FakeClient();
        var publisher = Publisher(client, 3);

        var fired = Enumerable.Range(1, 5).Select(i => publisher.Fire(Message($"a{i}"))).ToList();

        Assert.Equal([true, true, true, false, false], fired);
        Assert.Equal(["a1", "a2", "a3"], client.Topics);
        Assert.Equal(2, publisher.Dropped);
        Assert.Equal(3, publisher.InFlight);

        client.Ack("a1");
        Assert.True(await Eventually.TrueAsync(() => publisher.InFlight == 2, 10_000));
        Assert.True(publisher.Fire(Message("a6")));
        Assert.Equal(["a1", "a2", "a3", "a6"], client.Topics);
    }

    [Fact]
    public async Task Control_is_never_dropped_even_when_the_window_is_full()
    {
        var client = new FakeClient();
        var publisher = Publisher(client, 2);
        publisher.Fire(Message("a1"));
        publisher.Fire(Message("a2"));

        publisher.Send(Message("end"));

        Assert.Equal(["a1", "a2", "end"], client.Topics);
        Assert.Equal(3, publisher.InFlight);
        client.AckAll();
        Assert.True(await Eventually.TrueAsync(() => publisher.InFlight == 0 && publisher.ControlPending == 0, 10_000));
    }

    [Fact]
    public async Task A_failed_publish_frees_its_place_is_counted_and_neither_stalls_nor_reorders_what_follows()
    {
        var client = new FakeClient();
        var publisher = Publisher(client, 2);
        publisher.Fire(Message("a1"));
        publisher.Fire(Message("a2"));

        client.Fail("a1");
        Assert.True(await Eventually.TrueAsync(() => publisher.InFlight == 1, 10_000));
        Assert.True(publisher.Fire(Message("a3")));
        publisher.Send(Message("end"));
        client.Fail("end"); // logged, never thrown at the engine
        Assert.True(await Eventually.TrueAsync(() => publisher.ControlPending == 0, 10_000));
        client.AckAll();

        Assert.Equal(["a1", "a2", "a3", "end"], client.Topics);
        Assert.True(await Eventually.TrueAsync(() => publisher.InFlight == 0, 10_000));
        Assert.Equal(2, publisher.Failed);
        Assert.Equal(0, publisher.Dropped);
    }

    [Fact]
    public void A_client_that_throws_at_once_fails_that_publish_only()
    {
        var client = new FakeClient { ThrowAtOnce = true };
        var publisher = Publisher(client, 2);

        for (var i = 0; i < 5; i++)
        {
            Assert.True(publisher.Fire(Message($"a{i}")));
        }

        Assert.Equal(5, publisher.Failed);
        Assert.Equal(0, publisher.InFlight);
    }

    [Fact]
    public async Task An_audio_frame_whose_puback_never_comes_gives_its_place_up_after_the_wait_limit()
    {
        var client = new FakeClient();
        var publisher = Publisher(client, 1, audioAckWait: TimeSpan.FromMilliseconds(50));
        publisher.Fire(Message("a1"));

        Assert.True(await Eventually.TrueAsync(() => publisher.InFlight == 0, 30_000));
        Assert.Equal(1, publisher.Failed);
        Assert.True(publisher.Fire(Message("a2")));
    }

    [Fact]
    public async Task A_control_message_whose_puback_does_not_come_is_counted_overdue_gives_its_place_back_and_stays_with_the_client()
    {
        var client = new FakeClient();
        var publisher = Publisher(client, 1, controlAckWait: TimeSpan.FromMilliseconds(50));

        publisher.Send(Message("end"));
        Assert.False(publisher.Fire(Message("a1"))); // the window is full while it waits

        Assert.True(await Eventually.TrueAsync(() => publisher.Overdue == 1 && publisher.InFlight == 0, 30_000));
        Assert.Equal(1, publisher.ControlPending); // still the client's, its publish not cancelled
        Assert.False(client.Cancelled("end"));
        Assert.True(publisher.Fire(Message("a2")));
        client.Ack("end"); // late, but it came
        Assert.True(await Eventually.TrueAsync(() => publisher.ControlPending == 0, 10_000));
        Assert.Equal(0, publisher.Failed);
    }

    [Fact]
    public async Task A_broker_that_stops_acknowledging_control_is_logged_once_and_once_more_when_it_acknowledges_again()
    {
        var client = new FakeClient();
        var log = new ListLoggerProvider();
        var publisher = Publisher(client, 16, controlAckWait: TimeSpan.FromMilliseconds(50), log: log);

        for (var i = 0; i < 5; i++)
        {
            publisher.Send(Message($"c{i}"));
        }

        Assert.True(await Eventually.TrueAsync(() => publisher.Overdue == 5, 30_000));
        Assert.Equal(1, log.Count("not acknowledged by the broker"));
        client.AckAll();
        Assert.True(await Eventually.TrueAsync(() => publisher.ControlPending == 0, 10_000));
        Assert.Equal(1, log.Count("acknowledges control messages again"));

        publisher.Send(Message("c5"));
        client.Fail("c5"); // a new outage: said again
        Assert.True(await Eventually.TrueAsync(() => log.Count("not acknowledged by the broker") == 2, 10_000));
    }

    [Fact]
    public async Task Draining_waits_for_the_pending_control_messages_pubacks_and_no_longer_than_its_bound()
    {
        var client = new FakeClient();
        var publisher = Publisher(client, 16);
        publisher.Send(Message("end"));

        var draining = publisher.DrainAsync(TimeSpan.FromHours(1));
        Assert.False(draining.IsCompleted);
        client.Ack("end");
        await draining.WaitAsync(TimeSpan.FromSeconds(30));

        publisher.Send(Message("never"));
        await publisher.DrainAsync(TimeSpan.FromMilliseconds(50)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, publisher.ControlPending);
    }

    private static MqttApplicationMessage Message(string topic) => new()
    {
        Topic = topic,
        Payload = new ReadOnlySequence<byte>([1]),
        QualityOfServiceLevel = MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce,
    };

    // A client whose publishes complete when the test says (the PUBACK), fail when it says, or are cancelled by the
    // publisher's wait limit.
    private sealed class FakeClient
    {
        private readonly Dictionary<string, TaskCompletionSource> _pending = [];

        public List<string> Topics { get; } = [];

        public bool ThrowAtOnce { get; init; }

        public Task PublishAsync(MqttApplicationMessage message, CancellationToken ackWait)
        {
            if (ThrowAtOnce)
            {
                throw new InvalidOperationException("not connected");
            }

            var puback = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_pending)
            {
                Topics.Add(message.Topic);
                _pending[message.Topic] = puback;
            }

            ackWait.Register(() => puback.TrySetCanceled(ackWait));
            return puback.Task;
        }

        public void Ack(string topic) => Take(topic).TrySetResult();

        public bool Cancelled(string topic) => Take(topic).Task.IsCanceled;

        public void Fail(string topic) => Take(topic).TrySetException(new InvalidOperationException("connection lost"));

        public void AckAll()
        {
            lock (_pending)
            {
                foreach (var puback in _pending.Values)
                {
                    puback.TrySetResult();
                }
            }
        }

        private TaskCompletionSource Take(string topic)
        {
            lock (_pending)
            {
                return _pending[topic];
            }
        }
    }
}
