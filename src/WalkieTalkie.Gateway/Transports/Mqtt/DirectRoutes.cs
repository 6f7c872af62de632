using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using MQTTnet.Server;

namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>
/// Downlink messages straight into a badge's session queue. Publishing through the broker (an injected message) checks
/// every subscriber's subscriptions, so a frame to each of N listeners costs N x N; here it costs one enqueue.
/// A badge gets a route once it has subscribed to its own downlink (the broker's subscription event), and loses it
/// when it connects again, disconnects, unsubscribes or its session ends; without a route a frame goes the broker's
/// way, which is always correct. Routes are looked up in batches (the broker lists all sessions at once).
/// A badge whose connection is known is sent to by that connection's writer (<see cref="ConnectionWriters{T}"/>): its
/// audio frames to an audience larger than <see cref="MqttOptions.InlineAudience"/> always, anything else while frames
/// are still with the writer, so that nothing overtakes (a frame to a smaller audience, or a control message, is
/// otherwise sent on the caller's thread); the writer decides between writing a frame straight to the socket and
/// queueing it, and a message no session takes goes the broker's way (<c>unrouted</c>: badge, payload, audio). With no
/// writers (<c>writers</c> 0) the caller's thread does all of it.
/// </summary>
internal sealed class DirectRoutes : IAsyncDisposable
{
    /// <summary>Items each writer's ring holds: 16 frames to 1,000 listeners over 2 writers.</summary>
    private const int WriterCapacity = 8192;

    private static readonly TimeSpan RefreshDelay = TimeSpan.FromMilliseconds(100);

    private readonly MqttServer _server;
    private readonly Func<string, BadgeConnection?> _connectionOf;
    private readonly Func<string, byte[], bool, Task> _unrouted;
    private readonly ILogger _logger;
    private readonly ConnectionWriters<DirectRoute>? _writers;
    private readonly int _inlineAudience;
    private readonly ConcurrentDictionary<string, DirectRoute> _routes = new();
    // badge -> its generation when it subscribed; every Forget moves the generation, so a lookup that raced with a
    // reconnect is thrown away rather than routing to the session the badge just left.
    private readonly ConcurrentDictionary<string, long> _wanted = new();
    private readonly ConcurrentDictionary<string, long> _generations = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _learned = new(0);
    private Task _refresh = Task.CompletedTask;

    private long _sent;
    private long _written;
    private long _writtenByCaller;

    public DirectRoutes(MqttServer server, Func<string, BadgeConnection?> connectionOf, Func<string, byte[], bool, Task> unrouted, ILogger logger,
        int writers, int inlineAudience)
    {
        _inlineAudience = inlineAudience;
        _server = server;
        _connectionOf = connectionOf;
        _unrouted = unrouted;
        _logger = logger;
        _writers = writers > 0 ? new ConnectionWriters<DirectRoute>(writers, WriterCapacity, Deliver) : null;
    }

    /// <summary>Frames that went straight to a session so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Of those, audio frames written straight to the badge's connection, past the session's queue.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Of those, frames written on the sender's thread (a small audience) rather than by a writer.</summary>
    public long WrittenByCaller => Interlocked.Read(ref _writtenByCaller);

    public bool HasRoute(string badgeId) => _routes.ContainsKey(badgeId);

    public void Start() => _refresh = RefreshAsync(_stop.Token);

    /// <summary>The badge subscribed to its downlink: look its session up at the next refresh.</summary>
    public void Learn(string badgeId)
    {
        _wanted[badgeId] = _generations.GetValueOrDefault(badgeId);
        _learned.Release();
    }

    public void Forget(string badgeId)
    {
        _generations.AddOrUpdate(badgeId, 1, (_, g) => g + 1);
        _wanted.TryRemove(badgeId, out _);
        _routes.TryRemove(badgeId, out _);
    }

    /// <summary>
    /// Sends an audio frame (QoS 0) to the badge, one of <paramref name="audience"/> it goes to now; false when there is
    /// no route (use the broker). For an audience of <see cref="MqttOptions.InlineAudience"/> or fewer it is written on
    /// the caller's thread (when nothing of the badge's is with its writer): a write costs the same on any thread, and the
    /// posts to the writers and their wake-ups are saved (docs/benchmarks.md, "A frame's listeners written by the thread
    /// that received it").
    /// </summary>
    public bool TrySendAudio(string badgeId, byte[] payload, int audience = int.MaxValue) =>
        TrySend(badgeId, payload, audio: true, inline: audience <= _inlineAudience);

    /// <summary>Enqueues a control message (QoS 1) on the badge's session; false when there is no route (use the broker).</summary>
    public bool TrySendControl(string badgeId, byte[] payload) => TrySend(badgeId, payload, audio: false, inline: true);

    private bool TrySend(string badgeId, byte[] payload, bool audio, bool inline)
    {
        if (!_routes.TryGetValue(badgeId, out var route))
        {
            return false;
        }

        if (_writers is not null && route.Connection is { } connection && (!inline || connection.WithWriter > 0))
        {
            connection.HandedToWriter();
            if (_writers.Post(connection.Number, route, payload, audio))
            {
                return true;
            }

            connection.LeftWriter(); // stopping: this thread sends it
        }

        return Send(route, payload, audio, onWriter: false);
    }

    private bool Send(DirectRoute route, byte[] payload, bool audio, bool onWriter)
    {
        try
        {
            if (audio && route.TryWriteAudio(payload))
            {
                Interlocked.Increment(ref _written);
                if (!onWriter)
                {
                    Interlocked.Increment(ref _writtenByCaller);
                }
            }
            else if (!(audio ? route.TrySendAudio(payload) : route.TrySendControl(payload)))
            {
                return false;
            }

            Interlocked.Increment(ref _sent);
            return true;
        }
        catch (ObjectDisposedException)
        {
            _routes.TryRemove(new KeyValuePair<string, DirectRoute>(route.BadgeId, route));
            return false;
        }
    }

    // On the connection's writer, in the order the messages were posted.
    private void Deliver(DirectRoute route, byte[] payload, bool audio)
    {
        try
        {
            if (!Send(route, payload, audio, onWriter: true))
            {
                var sent = _unrouted(route.BadgeId, payload, audio);
                if (!sent.IsCompletedSuccessfully)
                {
                    _ = sent.ContinueWith(t => _logger.LogDebug("A message to badge {Badge} went nowhere: {Error}", route.BadgeId, t.Exception?.GetBaseException().Message),
                        TaskContinuationOptions.OnlyOnFaulted);
                }
            }
        }
        finally
        {
            route.Connection!.LeftWriter();
        }
    }

    // Looks routes up 100 ms after a badge subscribed (a reconnect storm's subscriptions in one listing), and again every
    // 100 ms while some are not found yet; with none wanted it sleeps, rather than waking the timer thread and a pool
    // thread ten times a second for nothing.
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                if (_wanted.IsEmpty)
                {
                    await _learned.WaitAsync(cancellationToken);
                }

                await Task.Delay(RefreshDelay, cancellationToken);
                while (_learned.CurrentCount > 0 && _learned.Wait(0))
                {
                    // each badge learnt since the last look is in _wanted: one look serves them all
                }

                try
                {
                    foreach (var session in await _server.GetSessionsAsync())
                    {
                        if (_wanted.TryRemove(session.Id, out var generation))
                        {
                            _routes[session.Id] = new DirectRoute(session, session.Id, _connectionOf(session.Id));
                            if (_generations.GetValueOrDefault(session.Id) != generation)
                            {
                                _routes.TryRemove(session.Id, out _);
                            }
                        }
                    }
                }
                catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
                {
                    _logger.LogDebug("Direct audio routes not refreshed: {Error}", e.Message);
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
        _writers?.Dispose();
        _routes.Clear();
    }
}
