using System.Buffers;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;
using WalkieTalkie.Gateway.Logging;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Protocol;

namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>
/// The embedded MQTTnet broker, on its own sockets (<see cref="BadgeListener"/>: bind address, handshake time, caps,
/// packet size). Policy lives in its interceptors: connection validation (badge id and secret, through the login
/// throttle; a banned badge is kept out), publish interception (own <c>up/</c> topics only, size limits, flood guard;
/// accepted uplink goes to the engine and not through the broker), subscription interception (own <c>down/</c> topics
/// only). A logged-in badge's QoS 0 publishes (its audio) meet the same policy earlier, as its connection reads them
/// (<see cref="IBadgeUplink"/>), without MQTTnet's receive loop in between. Every refusal goes through
/// <see cref="BadgeRefusals"/>, and a badge it bans is disconnected. The gateway publishes by injecting messages, marked
/// with a sender id no badge can have.
/// </summary>
public sealed class EmbeddedBrokerLink(IOptions<MqttOptions> mqttOptions, IOptions<LimitOptions> limits, BadgeAuthenticator authenticator,
    FloodGuard flood, BadgeRefusals refusals, SiteTls tls, ILogger<EmbeddedBrokerLink> logger) : IBadgeTransport, IBadgeUplink
{
    private readonly MqttOptions _options = mqttOptions.Value;
    private readonly X509Certificate2? _certificate = tls.Certificate;

    /// <summary>The sender id of the gateway's own messages ('$' is not allowed in badge ids).</summary>
    public const string GatewaySender = "$gateway";

    private MqttServer? _server;
    private BadgeListener? _listener;
    private IUplinkSink? _sink;
    private DirectRoutes? _direct;

    public string Name => "mqtt";

    /// <summary>Messages (audio and control) delivered straight to a badge's session rather than through the broker's matching.</summary>
    public long DirectMessages => _direct?.Sent ?? 0;

    /// <summary>Of those, audio frames written straight to the badge's connection rather than queued in its session.</summary>
    public long DirectlyWrittenFrames => _direct?.Written ?? 0;

    /// <summary>Of those, frames written on the engine's thread (a small audience) rather than by a connection writer.</summary>
    public long FramesWrittenByCaller => _direct?.WrittenByCaller ?? 0;

    /// <summary>Whether messages to the badge now go straight to its session.</summary>
    public bool HasDirectRoute(string badgeId) => _direct?.HasRoute(badgeId) ?? false;

    /// <summary>How often MQTTnet's server looks for badges silent past 1.5 times their keep-alive, and closes them.</summary>
    public static readonly TimeSpan KeepAliveSweepEvery = TimeSpan.FromSeconds(2);

    public async Task StartAsync(IUplinkSink sink, CancellationToken cancellationToken)
    {
        _sink = sink;
        var options = new MqttServerFactory().CreateServerOptionsBuilder()
            .WithPersistentSessions(true)
            .WithMaxPendingMessagesPerClient(2000)
            .WithPendingMessagesOverflowStrategy(MqttPendingMessagesOverflowStrategy.DropOldestQueuedMessage)
            .WithoutDefaultEndpoint()
            .Build();
        // MQTTnet looks for clients past 1.5 times their keep-alive every 0.5 s by default, copying the list of every
        // client each time: a badge's keep-alive is 60 s, so every 2 s closes a silent one as good as on time, at a
        // quarter of the sweeps (a thread woken twice a second for nothing, during every burst too).
        options.KeepAliveOptions.MonitorInterval = KeepAliveSweepEvery;
        _listener = new BadgeListener(_options, limits.Value, _certificate, refusals, logger) { Uplink = this };
        _server = new MqttServerFactory().CreateMqttServer(options, [_listener]);
        _server.ValidatingConnectionAsync += ValidateConnection;
        _server.InterceptingPublishAsync += InterceptPublish;
        _server.InterceptingSubscriptionAsync += InterceptSubscription;
        _direct = new DirectRoutes(_server, _listener.ConnectionOf, Unrouted, logger, ConnectionWriters<DirectRoute>.DefaultCount, _options.InlineAudience);
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
        refusals.Banned += Disconnect;
        await _server.StartAsync();
        _direct.Start();
        foreach (var (endPoint, secure) in _listener.EndPoints)
        {
            logger.LogInformation("Embedded MQTT broker listening on {EndPoint}{Tls}", endPoint, secure ? " with TLS (site certificate)" : " without TLS");
        }
    }

    private Task ValidateConnection(ValidatingConnectionEventArgs e)
    {
        var address = (e.RemoteEndPoint as IPEndPoint)?.Address;
        if (address is { IsIPv4MappedToIPv6: true })
        {
            address = address.MapToIPv4();
        }

        // A badge is one client: its id is its client id and its user name.
        var login = authenticator.Login(e.ClientId, e.ClientId == e.UserName ? e.Password : null, address);
        string? refused = null;
        if (!login.IsAccepted)
        {
            refused = login.Outcome == LoginOutcome.Throttled
                ? $"too many failed logins, backing off {Math.Ceiling(login.RetryAfter.TotalSeconds)} s"
                : "bad badge id or secret";
        }
        else if (refusals.BannedFor(e.ClientId) is { } ban)
        {
            refused = $"disconnected for refusals, back in {Math.Ceiling(ban.TotalSeconds)} s";
        }
        else if (!_listener!.Authenticated(e.ChannelAdapter, e.ClientId))
        {
            refused = "its time to log in ran out";
        }

        if (refused is not null)
        {
            e.ReasonCode = login.IsAccepted ? MqttConnectReasonCode.NotAuthorized : MqttConnectReasonCode.BadUserNameOrPassword;
            if (refusals.Refuse(address, login.Outcome == LoginOutcome.Throttled ? RefusalKind.Throttled : RefusalKind.Login))
            {
                logger.LogWarning("Refused connection of client {ClientId} as {UserName} from {Address}: {Reason}",
                    LogText.Escape(e.ClientId), LogText.Escape(e.UserName), address, refused);
            }
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
        Uplink(e.ClientId, e.ApplicationMessage.Topic, e.ApplicationMessage.Payload);
        return Task.CompletedTask;
    }

    void IBadgeUplink.Take(string badgeId, string topic, ReadOnlySequence<byte> payload) => Uplink(badgeId, topic, payload);

    // The badge's publish, from the interceptor or straight from its connection: refused (logged once per offender) or
    // handed to the engine.
    private void Uplink(string badgeId, string topic, ReadOnlySequence<byte> payload)
    {
        if (refusals.BannedFor(badgeId) is not null)
        {
            return; // on its way out
        }

        var kind = TopicPolicy.CheckPublish(badgeId, topic);
        if (kind == TopicKind.None)
        {
            if (refusals.Refuse(badgeId, RefusalKind.Publish))
            {
                logger.LogWarning("Refused publish of badge {Badge} to {Topic}: outside its up/ topics", badgeId, LogText.Escape(topic));
            }

            return;
        }

        if (payload.Length > TopicPolicy.MaxPayload(kind))
        {
            if (refusals.Refuse(badgeId, RefusalKind.Oversized))
            {
                logger.LogWarning("Refused publish of badge {Badge} to {Topic}: {Length} bytes, limit {Limit}",
                    badgeId, topic, payload.Length, TopicPolicy.MaxPayload(kind));
            }

            return;
        }

        if (!flood.Allow(badgeId, kind))
        {
            return;
        }

        _sink!.OnUplink(badgeId, kind, Owned(payload));
    }

    // The payload's bytes for the engine to keep. MQTTnet decodes each PUBLISH's payload into an array of its own, which
    // nothing else holds once the broker is told not to process the message, and a badge's connection copies a frame it
    // takes apart itself into one (BadgePacketReader): that array is taken as it is, not copied again.
    private static byte[] Owned(ReadOnlySequence<byte> payload) =>
        payload.IsSingleSegment && MemoryMarshal.TryGetArray(payload.First, out var segment) && segment.Array is { } array
            && segment.Offset == 0 && segment.Count == array.Length && array.Length > 0
            ? array
            : payload.ToArray();

    private Task InterceptSubscription(InterceptingSubscriptionEventArgs e)
    {
        if (!TopicPolicy.MaySubscribe(e.ClientId, e.TopicFilter.Topic))
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            if (refusals.Refuse(e.ClientId, RefusalKind.Subscribe))
            {
                logger.LogWarning("Refused subscription of badge {Badge} to {Filter}: outside its down/ topics", e.ClientId, LogText.Escape(e.TopicFilter.Topic));
            }
        }

        return Task.CompletedTask;
    }

    private void Disconnect(string badgeId)
    {
        if (_server is not { IsStarted: true } server)
        {
            return;
        }

        // Not on the thread that refused it (a broker interceptor of that very client).
        _ = Task.Run(async () =>
        {
            try
            {
                await server.DisconnectClientAsync(badgeId, new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.AdministrativeAction });
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or MQTTnet.Exceptions.MqttCommunicationException)
            {
                logger.LogDebug("Disconnecting badge {Badge}: {Error}", badgeId, e.Message);
            }
        });
    }

    public Task SendControlAsync(string badgeId, byte[] payload)
    {
        if (_direct is not null && _direct.TrySendControl(badgeId, payload))
        {
            return Task.CompletedTask;
        }

        return Inject(Topics.DownControl(badgeId), payload, MqttQualityOfServiceLevel.AtLeastOnce);
    }

    public Task SendAudioAsync(string badgeId, byte[] payload) => SendAudioAsync(badgeId, payload, int.MaxValue);

    public Task SendAudioAsync(string badgeId, byte[] payload, int audience)
    {
        if (_direct is not null && _direct.TrySendAudio(badgeId, payload, audience))
        {
            return Task.CompletedTask;
        }

        return Inject(Topics.DownAudio(badgeId), payload, MqttQualityOfServiceLevel.AtMostOnce);
    }

    private Task Unrouted(string badgeId, byte[] payload, bool audio) => audio
        ? Inject(Topics.DownAudio(badgeId), payload, MqttQualityOfServiceLevel.AtMostOnce)
        : Inject(Topics.DownControl(badgeId), payload, MqttQualityOfServiceLevel.AtLeastOnce);

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
        refusals.Banned -= Disconnect;
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
