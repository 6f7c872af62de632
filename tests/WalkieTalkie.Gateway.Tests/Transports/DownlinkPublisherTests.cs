using System.Buffers;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Transports.Mqtt;

namespace WalkieTalkie.Gateway.Tests.Transports;

/// <summary>
/// The external broker's downlink (<see cref="DownlinkPublisher"/>) against a fake MQTT client whose PUBACKs the test
/// gives, withholds or fails: publishes reach the client in the order asked, audio never waits for a PUBACK and is
/// dropped (counted) when the window of unacknowledged publishes is full, control is never dropped, and a failed
/// publish frees its place without holding back or reordering what follows.
/// </summary>
public sealed class DownlinkPublisherTests
{
    private static readonly TimeSpan NoAckWaitLimit = TimeSpan.FromHours(1);

    [Fact]
    public async Task Audio_and_control_reach_the_client_in_the_order_asked_and_audio_does_not_wait_for_its_puback()
    {
        var client = new FakeClient();
        var publisher = new DownlinkPublisher(client.PublishAsync, 16, NoAckWaitLimit, NullLogger.Instance);

        Assert.True(publisher.Fire(Message("a1")));
        Assert.True(publisher.Fire(Message("a2")));
        var control = publisher.PublishAsync(Message("end"));
        Assert.True(publisher.Fire(Message("a3")));

        Assert.Equal(["a1", "a2", "end", "a3"], client.Topics);
        Assert.Equal(4, publisher.InFlight);
        Assert.False(control.IsCompleted); // control waits for its own PUBACK
        client.Ack("end");
        await control.WaitAsync(TimeSpan.FromSeconds(30));
        client.AckAll();
        Assert.True(await Eventually.TrueAsync(() => publisher.InFlight == 0, 10_000));
        Assert.Equal(0, publisher.Dropped);
        Assert.Equal(0, publisher.Failed);
    }

    [Fact]
    public async Task A_full_window_drops_audio_without_waiting_and_takes_it_again_once_a_puback_frees_a_place()
    {
        var client = new FakeClient();
        var publisher = new DownlinkPublisher(client.PublishAsync, 3, NoAckWaitLimit, NullLogger.Instance);

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
        var publisher = new DownlinkPublisher(client.PublishAsync, 2, NoAckWaitLimit, NullLogger.Instance);
        publisher.Fire(Message("a1"));
        publisher.Fire(Message("a2"));

        var control = publisher.PublishAsync(Message("end"));

        Assert.Equal(["a1", "a2", "end"], client.Topics);
        client.AckAll();
        await control.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_failed_publish_frees_its_place_is_counted_and_neither_stalls_nor_reorders_what_follows()
    {
        var client = new FakeClient();
        var publisher = new DownlinkPublisher(client.PublishAsync, 2, NoAckWaitLimit, NullLogger.Instance);
        publisher.Fire(Message("a1"));
        publisher.Fire(Message("a2"));

        client.Fail("a1");
        Assert.True(await Eventually.TrueAsync(() => publisher.InFlight == 1, 10_000));
        Assert.True(publisher.Fire(Message("a3")));
        var control = publisher.PublishAsync(Message("end"));
        client.Fail("end");
        await control.WaitAsync(TimeSpan.FromSeconds(30)); // a failed control message is logged, not thrown at the engine
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
        var publisher = new DownlinkPublisher(client.PublishAsync, 2, NoAckWaitLimit, NullLogger.Instance);

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
        var publisher = new DownlinkPublisher(client.PublishAsync, 1, TimeSpan.FromMilliseconds(50), NullLogger.Instance);
        publisher.Fire(Message("a1"));

        Assert.True(await Eventually.TrueAsync(() => publisher.InFlight == 0, 30_000));
        Assert.Equal(1, publisher.Failed);
        Assert.True(publisher.Fire(Message("a2")));
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
