using System.Collections.Concurrent;
using WalkieTalkie.Protocol;

namespace WalkieTalkie.Gateway.Transports;

/// <summary>
/// Every transport as the one link the engine knows: each badge is sent to over the transport it last connected on,
/// and a badge never seen is sent to over the first (MQTT, whose persistent sessions keep what a sleeping badge is
/// owed). A new transport plugs in here; the engine does not change.
/// </summary>
public sealed class CompositeBadgeLink : IBadgeLink
{
    private readonly IReadOnlyList<IBadgeTransport> _transports;
    private readonly ConcurrentDictionary<string, IBadgeTransport> _routes = new(StringComparer.Ordinal);

    public CompositeBadgeLink(IEnumerable<IBadgeTransport> transports)
    {
        _transports = transports.ToArray();
        if (_transports.Count == 0)
        {
            throw new ArgumentException("at least one transport is needed", nameof(transports));
        }
    }

    public IReadOnlyList<IBadgeTransport> Transports => _transports;

    /// <summary>The transport a badge is reached on now.</summary>
    public IBadgeTransport RouteOf(string badgeId) => _routes.TryGetValue(badgeId, out var transport) ? transport : _transports[0];

    public async Task StartAsync(IUplinkSink sink, CancellationToken cancellationToken)
    {
        foreach (var transport in _transports)
        {
            await transport.StartAsync(new RoutingSink(this, transport, sink), cancellationToken);
        }
    }

    public Task SendControlAsync(string badgeId, byte[] payload) => RouteOf(badgeId).SendControlAsync(badgeId, payload);

    public Task SendAudioAsync(string badgeId, byte[] payload) => RouteOf(badgeId).SendAudioAsync(badgeId, payload);

    public Task SendAudioAsync(string badgeId, byte[] payload, int audience) => RouteOf(badgeId).SendAudioAsync(badgeId, payload, audience);

    public async Task StopAsync()
    {
        foreach (var transport in _transports.Reverse())
        {
            await transport.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var transport in _transports.Reverse())
        {
            await transport.DisposeAsync();
        }
    }

    private void Route(string badgeId, IBadgeTransport transport)
    {
        if (!_routes.TryGetValue(badgeId, out var current) || current != transport)
        {
            _routes[badgeId] = transport;
        }
    }

    // What a transport hands over also tells where the badge is now.
    private sealed class RoutingSink(CompositeBadgeLink owner, IBadgeTransport transport, IUplinkSink engine) : IUplinkSink
    {
        public void OnUplink(string badgeId, TopicKind kind, byte[] payload)
        {
            owner.Route(badgeId, transport);
            engine.OnUplink(badgeId, kind, payload);
        }

        public void OnConnected(string badgeId)
        {
            owner.Route(badgeId, transport);
            engine.OnConnected(badgeId);
        }

        public void OnDisconnected(string badgeId)
        {
            // Only the transport it is on now may say it went away (it may have moved to another meanwhile).
            if (owner.RouteOf(badgeId) == transport)
            {
                engine.OnDisconnected(badgeId);
            }
        }
    }
}
