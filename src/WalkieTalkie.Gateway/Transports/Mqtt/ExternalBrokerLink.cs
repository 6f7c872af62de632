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
/// it). It reconnects when the broker goes away.
/// </summary>
public sealed class ExternalBrokerLink(IOptions<MqttOptions> mqttOptions, FloodGuard flood, BadgeRefusals refusals, ILogger<ExternalBrokerLink> logger)
    : IBadgeTransport
{
    private readonly MqttOptions _options = mqttOptions.Value;

    public const string ClientId = "walkie-gateway";

    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly CancellationTokenSource _stopping = new();
    private IUplinkSink? _sink;
    private Task? _reconnect;

    public string Name => "mqtt";

    public async Task StartAsync(IUplinkSink sink, CancellationToken cancellationToken)
    {
        _sink = sink;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            OnMessage(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        await ConnectAsync(cancellationToken);
        _reconnect = KeepConnectedAsync(_stopping.Token);
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.ExternalHost, _options.ExternalPort)
            .WithClientId(ClientId)
            .WithCredentials(_options.ExternalUserName, _options.ExternalPassword)
            .WithCleanSession(false)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15));
        if (_options.ExternalTls)
        {
            builder.WithTlsOptions(o => o.UseTls(true));
        }

        await _client.ConnectAsync(builder.Build(), cancellationToken);
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(Topics.AllUplinks).WithAtLeastOnceQoS()).Build(), cancellationToken);
        logger.LogInformation("Connected to external broker {Host}:{Port} as {User}", _options.ExternalHost, _options.ExternalPort, _options.ExternalUserName);
    }

    private async Task KeepConnectedAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(1000, cancellationToken);
                if (!_client.IsConnected)
                {
                    await ConnectAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException)
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

    public Task SendControlAsync(string badgeId, byte[] payload) =>
        Publish(Topics.DownControl(badgeId), payload, MqttQualityOfServiceLevel.AtLeastOnce);

    public Task SendAudioAsync(string badgeId, byte[] payload) =>
        Publish(Topics.DownAudio(badgeId), payload, MqttQualityOfServiceLevel.AtMostOnce);

    private async Task Publish(string topic, byte[] payload, MqttQualityOfServiceLevel qos)
    {
        if (!_client.IsConnected)
        {
            return;
        }

        try
        {
            await _client.PublishAsync(new MqttApplicationMessage
            {
                Topic = topic,
                Payload = new ReadOnlySequence<byte>(payload),
                QualityOfServiceLevel = qos,
            });
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            logger.LogWarning("Publish to {Topic} failed: {Error}", topic, e.Message);
        }
    }

    public async Task StopAsync()
    {
        _stopping.Cancel();
        if (_reconnect is not null)
        {
            await _reconnect;
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
