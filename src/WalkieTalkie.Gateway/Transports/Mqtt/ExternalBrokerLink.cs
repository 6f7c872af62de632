using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using WalkieTalkie.Protocol;

namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>
/// The gateway as a client of an external broker (Mosquitto, EMQX, ...), which then does authentication and topic
/// access control (see docs/gateway.md). The gateway still checks what it receives: the topic's badge id, sizes and
/// the flood guard, and ignores a badge <see cref="BadgeRefusals"/> banned for the ban's length (it cannot disconnect
/// it). It reconnects when the broker goes away: to the next of a cluster's nodes (<see cref="MqttOptions.ExternalNodes"/>).
/// </summary>
public sealed class ExternalBrokerLink(IOptions<MqttOptions> mqttOptions, FloodGuard flood, BadgeRefusals refusals, ILogger<ExternalBrokerLink> logger)
    : IBadgeTransport
{
    // Audio is subscribed at QoS 0, control and state at QoS 1 (three filters, so no message matches twice). RabbitMQ
    // then queues a gateway's audio in a plain queue on its own node and only control and state in its persistent
    // session's quorum queue (docs/scale.md): audio sent through quorum queues was late or lost right after a node's
    // death, and a frame kept for a gateway that is away is too late to play anyway.
    private static readonly string AllUpAudio = Topics.UpAudio("+");
    private static readonly string AllUpControl = Topics.UpControl("+");
    private static readonly string AllUpState = Topics.UpState("+");

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ReconnectEvery = TimeSpan.FromSeconds(1);

    // The downlink goes at QoS 1, audio included, in one order (DownlinkPublisher), and the engine waits for no PUBACK:
    // at most this many publishes wait for theirs (a broker that stops acknowledging costs audio, never the engine's
    // time), a frame's wait is given up after AudioAckWait, so that a PUBACK the broker never sends does not hold a place
    // for good, and a control message's is counted overdue after Mqtt:ExternalControlAckSeconds.
    internal const int DownlinkWindow = 256;
    private static readonly TimeSpan AudioAckWait = TimeSpan.FromSeconds(10);

    // A graceful stop's last control messages (the bursts' ends) are given this long to be acknowledged before the
    // connection closes.
    private static readonly TimeSpan DrainBound = TimeSpan.FromSeconds(2);

    private readonly MqttOptions _options = mqttOptions.Value;
    private readonly IReadOnlyList<BrokerNode> _nodes = mqttOptions.Value.ExternalBrokerNodes();

    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly CancellationTokenSource _stopping = new();
    private DownlinkPublisher? _downlink;
    private IUplinkSink? _sink;
    private Task? _reconnect;
    private int _node;

    public string Name => "mqtt";

    public async Task StartAsync(IUplinkSink sink, CancellationToken cancellationToken)
    {
        _sink = sink;
        _downlink = new DownlinkPublisher((message, ackWait) => _client.PublishAsync(message, ackWait), DownlinkWindow, AudioAckWait,
            TimeSpan.FromSeconds(_options.ExternalControlAckSeconds), logger);
        _client.ApplicationMessageReceivedAsync += e =>
        {
            OnMessage(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        await ConnectAsync(0, cancellationToken);
        _reconnect = KeepConnectedAsync(_stopping.Token);
    }

    // From node `first` on, each node once, until one takes the connection (the last one's failure is thrown); the one
    // that did is where the next round starts from.
    private async Task ConnectAsync(int first, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _nodes.Count; i++)
        {
            var index = (first + i) % _nodes.Count;
            try
            {
                await ConnectToAsync(_nodes[index], cancellationToken);
                _node = index;
                return;
            }
            catch (Exception e) when (i < _nodes.Count - 1 && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("External broker node {Node} unreachable, trying the next: {Error}", _nodes[index], e.Message);
            }
        }
    }

    private async Task ConnectToAsync(BrokerNode node, CancellationToken cancellationToken)
    {
        // MQTT 3.1.1, as the badges speak it: every broker a site may run speaks it (RabbitMQ 3.10's MQTT plugin no other).
        // A node that does not answer is given up after the timeout, so that the next one is tried.
        var builder = new MqttClientOptionsBuilder()
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithTcpServer(node.Host, node.Port)
            .WithClientId(_options.ExternalClientId)
            .WithCredentials(_options.ExternalUserName, _options.ExternalPassword)
            .WithCleanSession(false)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(ConnectTimeout);
        if (_options.ExternalTls)
        {
            builder.WithTlsOptions(o => o.UseTls(true));
        }

        await _client.ConnectAsync(builder.Build(), cancellationToken);
        try
        {
            await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(f => f.WithTopic(AllUpAudio).WithAtMostOnceQoS())
                .WithTopicFilter(f => f.WithTopic(AllUpControl).WithAtLeastOnceQoS())
                .WithTopicFilter(f => f.WithTopic(AllUpState).WithAtLeastOnceQoS()).Build(), cancellationToken);
        }
        catch (Exception) when (_client.IsConnected)
        {
            // Connected but not subscribed would look served and hear nothing: the next attempt starts over.
            await _client.DisconnectAsync();
            throw;
        }

        logger.LogInformation("Connected to external broker {Node} as {User}", node, _options.ExternalUserName);
    }

    // A lost connection is taken up again on the node after the one lost (a cluster's other nodes hold the gateway's
    // persistent session), then on the others in turn; alone, on the same one.
    private async Task KeepConnectedAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(ReconnectEvery, cancellationToken);
                if (!_client.IsConnected)
                {
                    await ConnectAsync(_node + 1, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("External broker unreachable: {Error}", e.Message);
            }
        }
    }

    private void OnMessage(MqttApplicationMessage message)
    {
        var kind = Topics.Parse(message.Topic, out var badgeId);
        if (kind is not (TopicKind.UpAudio or TopicKind.UpControl or TopicKind.UpState) || refusals.BannedFor(badgeId) is not null)
        {
            return;
        }

        if (message.Payload.Length > TopicPolicy.MaxPayload(kind))
        {
            if (!refusals.Refuse(badgeId, RefusalKind.Oversized))
            {
                return;
            }

            logger.LogWarning("Dropped message of badge {Badge} on {Topic}: {Length} bytes, limit {Limit}",
                badgeId, message.Topic, message.Payload.Length, TopicPolicy.MaxPayload(kind));
            return;
        }

        if (!flood.Allow(badgeId, kind))
        {
            return;
        }

        _sink!.OnUplink(badgeId, kind, message.Payload.ToArray());
    }

    // Control and audio are handed to the client in the order asked and neither is awaited to its PUBACK
    // (DownlinkPublisher): the engine's loop, which calls this, serves every channel, and a broker node that accepts but
    // stops acknowledging held it for good (no grant, no timeout, no burst ended anywhere). The order needs no waiting:
    // it is the order of the client's calls. Control is never dropped. Both at QoS 1: RabbitMQ publishes a connection's
    // QoS 0 and QoS 1 messages on two AMQP channels into the badge's quorum queue, so at QoS 0 a listener's frames came
    // after the burst's end, or never (docs/scale.md).
    public Task SendControlAsync(string badgeId, byte[] payload)
    {
        if (_client.IsConnected && _downlink is { } downlink)
        {
            downlink.Send(Message(Topics.DownControl(badgeId), payload));
        }

        return Task.CompletedTask;
    }

    /// <summary>The downlink's counts (window, drops, overdue control), once started.</summary>
    public DownlinkPublisher? Downlink => _downlink;

    public Task SendAudioAsync(string badgeId, byte[] payload)
    {
        if (_client.IsConnected && _downlink is { } downlink)
        {
            downlink.Fire(Message(Topics.DownAudio(badgeId), payload));
        }

        return Task.CompletedTask;
    }

    private static MqttApplicationMessage Message(string topic, byte[] payload) => new()
    {
        Topic = topic,
        Payload = new ReadOnlySequence<byte>(payload),
        QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
    };

    public async Task StopAsync()
    {
        _stopping.Cancel();
        if (_reconnect is not null)
        {
            await _reconnect;
        }

        if (_downlink is not null && _client.IsConnected)
        {
            await _downlink.DrainAsync(DrainBound);
        }

        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _client.Dispose();
    }
}
