using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>
/// Downlink messages straight into a badge's session queue. Publishing through the broker (an injected message) checks
/// every subscriber's subscriptions, so a frame to each of N listeners costs N x N; here it costs one enqueue.
/// A badge gets a route once it has subscribed to its own downlink (the broker's subscription event), and loses it
/// when it connects again, disconnects, unsubscribes or its session ends; without a route a frame goes the broker's
/// way, which is always correct. Routes are looked up in batches (the broker lists all sessions at once).
/// </summary>
internal sealed class DirectRoutes(MqttServer server, ILogger logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, MqttSessionStatus> _routes = new();
    // badge -> its generation when it subscribed; every Forget moves the generation, so a lookup that raced with a
    // reconnect is thrown away rather than routing to the session the badge just left.
    private readonly ConcurrentDictionary<string, long> _wanted = new();
    private readonly ConcurrentDictionary<string, long> _generations = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _refresh = Task.CompletedTask;

    private long _sent;

    /// <summary>Frames that went straight to a session so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    public bool HasRoute(string badgeId) => _routes.ContainsKey(badgeId);

    public void Start() => _refresh = RefreshAsync(_stop.Token);

    /// <summary>The badge subscribed to its downlink: look its session up at the next refresh.</summary>
    public void Learn(string badgeId) => _wanted[badgeId] = _generations.GetValueOrDefault(badgeId);

    public void Forget(string badgeId)
    {
        _generations.AddOrUpdate(badgeId, 1, (_, g) => g + 1);
        _wanted.TryRemove(badgeId, out _);
        _routes.TryRemove(badgeId, out _);
    }

    /// <summary>Enqueues a message on the badge's session; false when there is no route (use the broker).</summary>
    public bool TrySend(string badgeId, string topic, byte[] payload, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtMostOnce)
    {
        if (!_routes.TryGetValue(badgeId, out var session))
        {
            return false;
        }

        try
        {
            var message = new MqttApplicationMessage
            {
                Topic = topic,
                Payload = new ReadOnlySequence<byte>(payload),
                QualityOfServiceLevel = qos,
            };
            if (!session.TryEnqueueApplicationMessage(message, out _))
            {
                return false;
            }

            Interlocked.Increment(ref _sent);
            return true;
        }
        catch (ObjectDisposedException)
        {
            _routes.TryRemove(badgeId, out _);
            return false;
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (_wanted.IsEmpty)
                {
                    continue;
                }

                try
                {
                    foreach (var session in await server.GetSessionsAsync())
                    {
                        if (_wanted.TryRemove(session.Id, out var generation))
                        {
                            _routes[session.Id] = session;
                            if (_generations.GetValueOrDefault(session.Id) != generation)
                            {
                                _routes.TryRemove(session.Id, out _);
                            }
                        }
                    }
                }
                catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
                {
                    logger.LogDebug("Direct audio routes not refreshed: {Error}", e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _refresh;
        _routes.Clear();
    }
}
