using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using WalkieTalkie.Gateway.Logging;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Protocol;

namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>
/// The embedded MQTTnet broker. Policy lives in its interceptors: connection validation (badge id and secret),
/// publish interception (own <c>up/</c> topics only, size limits, flood guard; accepted uplink goes to the engine
/// and not through the broker), subscription interception (own <c>down/</c> topics only). The gateway publishes by
/// injecting messages, marked with a sender id no badge can have.
/// </summary>
public sealed class EmbeddedBrokerLink(IOptions<MqttOptions> mqttOptions, BadgeAuthenticator authenticator, FloodGuard flood, SiteTls tls,
    TimeProvider time, ILogger<EmbeddedBrokerLink> logger) : IBadgeTransport
{
    private readonly MqttOptions _options = mqttOptions.Value;
    private readonly X509Certificate2? _certificate = tls.Certificate;

    /// <summary>The sender id of the gateway's own messages ('$' is not allowed in badge ids).</summary>
    public const string GatewaySender = "$gateway";

    private MqttServer? _server;
    private IUplinkSink? _sink;
    private DirectRoutes? _direct;
    private readonly LogLimiter _limiter = new(time, TimeSpan.FromSeconds(10));

    /// <summary>Messages (audio and control) delivered straight to a badge's session rather than through the broker's matching.</summary>
    public string Name => "mqtt";

    public long DirectMessages => _direct?.Sent ?? 0;

    /// <summary>Whether messages to the badge now go straight to its session.</summary>
    public bool HasDirectRoute(string badgeId) => _direct?.HasRoute(badgeId) ?? false;

    public async Task StartAsync(IUplinkSink sink, CancellationToken cancellationToken)
    {
        _sink = sink;
        var builder = new MqttServerFactory().CreateServerOptionsBuilder()
            .WithPersistentSessions(true)
            .WithMaxPendingMessagesPerClient(2000)
            .WithPendingMessagesOverflowStrategy(MqttPendingMessagesOverflowStrategy.DropOldestQueuedMessage);
        var address = IPAddress.Parse(_options.BindAddress);
        if (_options.Port > 0)
        {
            builder.WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(address).WithDefaultEndpointPort(_options.Port);
        }
        else
        {
            builder.WithoutDefaultEndpoint();
        }

        if (_options.TlsPort > 0 && _certificate is not null)
        {
            builder.WithEncryptedEndpoint().WithEncryptedEndpointBoundIPAddress(address).WithEncryptedEndpointPort(_options.TlsPort)
                .WithEncryptionCertificate(_certificate);
        }

        _server = new MqttServerFactory().CreateMqttServer(builder.Build());
        _server.ValidatingConnectionAsync += ValidateConnection;
        _server.InterceptingPublishAsync += InterceptPublish;
        _server.InterceptingSubscriptionAsync += InterceptSubscription;
        _direct = new DirectRoutes(_server, logger);
        _server.ClientConnectedAsync += e =>
        {
            _direct.Forget(e.ClientId);
            _sink.OnConnected(e.ClientId);
            return Task.CompletedTask;
        };
        _server.ClientDisconnectedAsync += e =>
        {
            _direct.Forget(e.ClientId);
            if (e.DisconnectType != MqttClientDisconnectType.Takeover)
            {
                _sink.OnDisconnected(e.ClientId);
            }

            return Task.CompletedTask;
        };
        _server.SessionDeletedAsync += e =>
        {
            _direct.Forget(e.Id);
            return Task.CompletedTask;
        };
        _server.ClientSubscribedTopicAsync += e =>
        {
            // Only a subscription to all of its downlink: control and audio may then both take the route.
            if (e.TopicFilter.Topic == Topics.DownFilter(e.ClientId))
            {
                _direct.Learn(e.ClientId);
            }

            return Task.CompletedTask;
        };
        _server.ClientUnsubscribedTopicAsync += e =>
        {
            _direct.Forget(e.ClientId);
            return Task.CompletedTask;
        };
        await _server.StartAsync();
        _direct.Start();
        logger.LogInformation("Embedded MQTT broker listening on {Address} port {Port} (TLS port {TlsPort})",
            _options.BindAddress, _options.Port, _certificate is null ? 0 : _options.TlsPort);
    }

    private Task ValidateConnection(ValidatingConnectionEventArgs e)
    {
        if (e.ClientId != e.UserName || !authenticator.Verify(e.UserName, e.Password))
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            logger.LogWarning("Refused connection of client {ClientId} as {UserName} from {Endpoint}: bad badge id or secret",
                e.ClientId, e.UserName, e.RemoteEndPoint);
        }

        return Task.CompletedTask;
    }

    private Task InterceptPublish(InterceptingPublishEventArgs e)
    {
        if (e.ClientId == GatewaySender || string.IsNullOrEmpty(e.ClientId))
        {
            return Task.CompletedTask;
        }

        // Uplink never goes through the broker: nothing subscribes to it but the gateway, which takes it here.
        e.ProcessPublish = false;
        var message = e.ApplicationMessage;
        var kind = TopicPolicy.CheckPublish(e.ClientId, message.Topic);
        if (kind == TopicKind.None)
        {
            if (_limiter.ShouldLog("topic:" + e.ClientId + ":" + message.Topic))
            {
                logger.LogWarning("Refused publish of badge {Badge} to {Topic}: outside its up/ topics", e.ClientId, message.Topic);
            }

            return Task.CompletedTask;
        }

        if (message.Payload.Length > TopicPolicy.MaxPayload(kind))
        {
            if (!_limiter.ShouldLog("size:" + e.ClientId + ":" + kind))
            {
                return Task.CompletedTask;
            }

            logger.LogWarning("Refused publish of badge {Badge} to {Topic}: {Length} bytes, limit {Limit}",
                e.ClientId, message.Topic, message.Payload.Length, TopicPolicy.MaxPayload(kind));
            return Task.CompletedTask;
        }

        if (!flood.Allow(e.ClientId))
        {
            return Task.CompletedTask;
        }

        _sink!.OnUplink(e.ClientId, kind, message.Payload.ToArray());
        return Task.CompletedTask;
    }

    private Task InterceptSubscription(InterceptingSubscriptionEventArgs e)
    {
        if (!TopicPolicy.MaySubscribe(e.ClientId, e.TopicFilter.Topic))
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            if (_limiter.ShouldLog("subscribe:" + e.ClientId + ":" + e.TopicFilter.Topic))
            {
                logger.LogWarning("Refused subscription of badge {Badge} to {Filter}: outside its down/ topics", e.ClientId, e.TopicFilter.Topic);
            }
        }

        return Task.CompletedTask;
    }

    public Task SendControlAsync(string badgeId, byte[] payload)
    {
        var topic = Topics.DownControl(badgeId);
        if (_direct is not null && _direct.TrySend(badgeId, topic, payload, MqttQualityOfServiceLevel.AtLeastOnce))
        {
            return Task.CompletedTask;
        }

        return Inject(topic, payload, MqttQualityOfServiceLevel.AtLeastOnce);
    }

    public Task SendAudioAsync(string badgeId, byte[] payload)
    {
        var topic = Topics.DownAudio(badgeId);
        if (_direct is not null && _direct.TrySend(badgeId, topic, payload))
        {
            return Task.CompletedTask;
        }

        return Inject(topic, payload, MqttQualityOfServiceLevel.AtMostOnce);
    }

    private Task Inject(string topic, byte[] payload, MqttQualityOfServiceLevel qos)
    {
        var server = _server;
        if (server is null || !server.IsStarted)
        {
            return Task.CompletedTask;
        }

        var message = new MqttApplicationMessage
        {
            Topic = topic,
            Payload = new ReadOnlySequence<byte>(payload),
            QualityOfServiceLevel = qos,
        };
        return server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = GatewaySender }, CancellationToken.None);
    }

    public async Task StopAsync()
    {
        if (_direct is not null)
        {
            await _direct.DisposeAsync();
        }

        if (_server is { IsStarted: true })
        {
            await DrainAsync(_server, TimeSpan.FromSeconds(2));
            await _server.StopAsync(new MqttServerStopOptions());
        }
    }

    // A graceful stop has just told talkers and listeners that their bursts ended: let those messages leave the
    // sessions' queues before the sockets close, or a badge misses its floor-revoked (bounded, for dead clients).
    private static async Task DrainAsync(MqttServer server, TimeSpan bound)
    {
        var until = DateTime.UtcNow + bound;
        while (DateTime.UtcNow < until)
        {
            var sessions = await server.GetSessionsAsync();
            if (sessions.All(s => s.PendingApplicationMessagesCount == 0))
            {
                // An empty queue means the last message was taken by the session's sender, not that it was written
                // out: on a loaded machine the socket could close under it (a full CI run lost a floor-revoked once,
                // with the queues already empty).
                await Task.Delay(TimeSpan.FromMilliseconds(250));
                return;
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _server?.Dispose();
    }
}
