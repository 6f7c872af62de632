using System.Collections.Concurrent;
using WalkieTalkie.Gateway.Transports;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Tests.Shared;

/// <summary>
/// A badge transport in memory: badges connect with their id and secret (checked by the gateway's own
/// <see cref="BadgeAuthenticator"/>), publish on their own uplink kinds within the protocol's sizes, and receive what
/// the engine sends. It keeps what an MQTT broker with persistent sessions keeps and the engine relies on: control
/// messages wait for a badge that is away (audio does not), a new connection takes over the old one silently, and an
/// unclean disconnect delivers the badge's last will. The fast way to test engine behaviour: no sockets, no broker.
/// </summary>
public sealed class InMemoryBadgeLink(BadgeAuthenticator authenticator) : IBadgeTransport
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private IUplinkSink? _sink;

    public string Name => "memory";

    public Task StartAsync(IUplinkSink sink, CancellationToken cancellationToken)
    {
        _sink = sink;
        return Task.CompletedTask;
    }

    /// <summary>Connects a badge; null when its id or secret is refused.</summary>
    /// <param name="receive">Gets every downlink message: its kind and payload.</param>
    public InMemoryConnection? Connect(string badgeId, string secret, Action<TopicKind, byte[]> receive, bool cleanSession = false)
    {
        if (_sink is null || !authenticator.Verify(badgeId, secret))
        {
            return null;
        }

        var connection = new InMemoryConnection(this, badgeId, receive);
        var session = _sessions.GetOrAdd(badgeId, _ => new Session());
        lock (session)
        {
            if (cleanSession)
            {
                session.Waiting.Clear();
            }

            session.Connection = connection; // a takeover: the old connection just stops hearing
        }

        _sink.OnConnected(badgeId);
        return connection;
    }

    public Task SendControlAsync(string badgeId, byte[] payload)
    {
        var session = _sessions.GetOrAdd(badgeId, _ => new Session());
        lock (session)
        {
            if (session.Connection is { Subscribed: true } connection)
            {
                connection.Deliver(TopicKind.DownControl, payload);
            }
            else
            {
                session.Waiting.Enqueue(payload);
            }
        }

        return Task.CompletedTask;
    }

    public Task SendAudioAsync(string badgeId, byte[] payload)
    {
        if (_sessions.TryGetValue(badgeId, out var session))
        {
            lock (session)
            {
                if (session.Connection is { Subscribed: true } connection)
                {
                    connection.Deliver(TopicKind.DownAudio, payload);
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        foreach (var session in _sessions.Values)
        {
            lock (session)
            {
                session.Connection = null;
            }
        }

        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    internal void Subscribe(InMemoryConnection connection)
    {
        var session = _sessions.GetOrAdd(connection.BadgeId, _ => new Session());
        lock (session)
        {
            if (session.Connection != connection)
            {
                return;
            }

            connection.Subscribed = true;
            while (session.Waiting.TryDequeue(out var payload))
            {
                connection.Deliver(TopicKind.DownControl, payload);
            }
        }
    }

    internal void Publish(InMemoryConnection connection, TopicKind kind, byte[] payload)
    {
        if (!IsCurrent(connection) || kind is not (TopicKind.UpAudio or TopicKind.UpControl or TopicKind.UpState)
            || payload.Length > TopicPolicy.MaxPayload(kind))
        {
            return;
        }

        _sink?.OnUplink(connection.BadgeId, kind, payload);
    }

    internal void Disconnect(InMemoryConnection connection, bool withWill)
    {
        if (!_sessions.TryGetValue(connection.BadgeId, out var session))
        {
            return;
        }

        lock (session)
        {
            if (session.Connection != connection)
            {
                return;
            }

            session.Connection = null;
        }

        if (withWill)
        {
            _sink?.OnUplink(connection.BadgeId, TopicKind.UpState, LastWill.ToBytes());
        }

        _sink?.OnDisconnected(connection.BadgeId);
    }

    private bool IsCurrent(InMemoryConnection connection) =>
        _sessions.TryGetValue(connection.BadgeId, out var session) && session.Connection == connection;

    private sealed class Session
    {
        public InMemoryConnection? Connection { get; set; }

        public Queue<byte[]> Waiting { get; } = new();
    }
}

/// <summary>One badge's connection to an <see cref="InMemoryBadgeLink"/>.</summary>
public sealed class InMemoryConnection
{
    private readonly InMemoryBadgeLink _link;
    private readonly Action<TopicKind, byte[]> _receive;

    internal InMemoryConnection(InMemoryBadgeLink link, string badgeId, Action<TopicKind, byte[]> receive)
    {
        _link = link;
        BadgeId = badgeId;
        _receive = receive;
    }

    public string BadgeId { get; }

    /// <summary>Whether downlink reaches it (after <see cref="Subscribe"/>, as a badge subscribes before it announces).</summary>
    public bool Subscribed { get; internal set; }

    public bool IsConnected { get; private set; } = true;

    /// <summary>Starts hearing the downlink, and gets what waited.</summary>
    public void Subscribe() => _link.Subscribe(this);

    /// <summary>Sends on one of the badge's own uplink kinds.</summary>
    public void Publish(TopicKind kind, byte[] payload) => _link.Publish(this, kind, payload);

    /// <summary>Goes away; an unclean disconnect leaves the badge's last will.</summary>
    public void Disconnect(bool clean)
    {
        if (!IsConnected)
        {
            return;
        }

        IsConnected = false;
        _link.Disconnect(this, withWill: !clean);
    }

    internal void Deliver(TopicKind kind, byte[] payload)
    {
        if (IsConnected)
        {
            _receive(kind, payload);
        }
    }
}
