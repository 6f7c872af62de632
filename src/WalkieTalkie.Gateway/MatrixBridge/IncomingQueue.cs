using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Gateway.Storage.Bridge;

namespace WalkieTalkie.Gateway.MatrixBridge;

/// <summary>What the incoming queue hands its events to (the bridge host). Called on the queue's worker, one at a time.</summary>
public interface IIncomingHandler
{
    /// <summary>Handles a room message; returns the outcome for the row. Throwing means "try again later" (backoff).</summary>
    Task<string> HandleMessageAsync(IncomingEvent message, CancellationToken cancellationToken);

    /// <summary>Folds a room state event, as <paramref name="source"/> (a badge device) delivered it, into the room's bridge.</summary>
    Task HandleStateAsync(string roomId, string source, RoomStateEvent stateEvent, CancellationToken cancellationToken);
}

/// <summary>
/// Takes what the badges' sync loops deliver without making them wait: a room message is persisted in
/// <see cref="IIncomingEventStore"/> (before the device commits the sync answer that brought it) and handled on this queue's worker;
/// a state event is handed over in memory (state is loaded again from the room at each start). One worker keeps the
/// delivery order, so a permit that arrived before a voice message is in force when the message is judged. A message
/// whose handling throws (the homeserver is down for the media download, the floor's queue is full) waits with an
/// exponential backoff, and later messages of its room wait behind it, so a room's messages play in order. What is
/// pending at a restart is handled once the queue starts again.
/// </summary>
public sealed class IncomingQueue : IAsyncDisposable
{
    private readonly IIncomingEventStore _store;
    private readonly IIncomingHandler _handler;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _firstRetry;
    private readonly TimeSpan _maxRetry;
    private readonly Channel<Work> _work = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private Task? _worker;
    private long _horizon; // the worker's only
    private DateTimeOffset? _nextWake; // the worker's only

    /// <summary>Creates the queue; nothing is handled before <see cref="Start"/>, but <see cref="AddMessage"/> already persists.</summary>
    /// <param name="store">The table.</param>
    /// <param name="handler">Handles messages and state.</param>
    /// <param name="logger">Where failures are logged.</param>
    /// <param name="firstRetry">The first backoff (doubled per failure); default 1 s.</param>
    /// <param name="maxRetry">The longest backoff; default 60 s.</param>
    /// <param name="time">The clock.</param>
    public IncomingQueue(IIncomingEventStore store, IIncomingHandler handler, ILogger logger, TimeSpan? firstRetry = null,
        TimeSpan? maxRetry = null, TimeProvider? time = null)
    {
        _store = store;
        _handler = handler;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _firstRetry = firstRetry ?? TimeSpan.FromSeconds(1);
        _maxRetry = maxRetry ?? TimeSpan.FromSeconds(60);
    }

    private abstract record Work;
    private sealed record MessageWork(long Seq) : Work;
    private sealed record StateWork(string RoomId, string Source, RoomStateEvent Event) : Work;

    /// <summary>
    /// Persists a delivered room message and wakes the worker. Returns false when the event was already here (another
    /// badge device's copy). Throws when the database cannot take it (the device then does not commit its sync answer).
    /// </summary>
    public bool AddMessage(string eventId, string roomId, string sender, string? senderDevice, string type, string contentJson, long originServerTs)
    {
        if (_store.Add(eventId, roomId, sender, senderDevice, type, contentJson, originServerTs) is not { } seq)
        {
            return false;
        }

        _work.Writer.TryWrite(new MessageWork(seq));
        return true;
    }

    /// <summary>Hands a state event that <paramref name="source"/> delivered to the worker, behind everything delivered before it.</summary>
    public void AddState(string roomId, string source, RoomStateEvent stateEvent) => _work.Writer.TryWrite(new StateWork(roomId, source, stateEvent));

    /// <summary>Starts the worker: first what was pending before (a restart), then what arrives.</summary>
    public void Start()
    {
        if (_worker is not null)
        {
            return;
        }

        var horizon = _store.LastSeq();
        _worker = Task.Run(() => RunAsync(horizon, _stop.Token), CancellationToken.None);
    }

    private async Task RunAsync(long horizon, CancellationToken ct)
    {
        // Only the table failing (its database away) escapes a pass: what is pending stays in it, and the worker tries
        // again with the backoff, logging once per outage, so that messages stored meanwhile or later are not left
        // waiting for the next start. The horizon and the wake time live outside the passes, so a failing pass keeps
        // what it learnt.
        _horizon = horizon;
        var started = false;
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (!started)
                {
                    var pruned = _store.PruneDone();
                    if (pruned > 0)
                    {
                        _logger.LogDebug("Incoming queue: {Count} old handled events forgotten", pruned);
                    }

                    _nextWake = await HandlePendingAsync(_horizon, ct);
                    started = true;
                }
                else
                {
                    await RunOnceAsync(ct);
                }

                if (failures > 0)
                {
                    _logger.LogInformation("The incoming Matrix queue's table answers again after {Failures} failed attempts", failures);
                    failures = 0;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                if (failures == 1)
                {
                    _logger.LogError(e, "The incoming Matrix queue cannot read or write its table: {Error}; pending messages wait and are tried again (every {Max:0} s at most)",
                        e.Message, _maxRetry.TotalSeconds);
                }
                else
                {
                    _logger.LogDebug("The incoming Matrix queue's table still fails (attempt {Failures}): {Error}", failures, e.Message);
                }

                try
                {
                    await Task.Delay(Backoff(failures), _time, ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }

                _nextWake = _time.GetUtcNow(); // the next pass reads the table again at once
            }
        }
    }

    /// <summary>One wait and what it brought, in delivery order: state folded, messages due handled.</summary>
    private async Task RunOnceAsync(CancellationToken ct)
    {
        var wait = _nextWake is { } at ? at - _time.GetUtcNow() : Timeout.InfiniteTimeSpan;
        if (wait == Timeout.InfiniteTimeSpan || wait > TimeSpan.Zero)
        {
            await WaitForWorkAsync(wait, ct);
        }

        var due = _nextWake is { } w && w <= _time.GetUtcNow();
        while (_work.Reader.TryRead(out var work))
        {
            switch (work)
            {
                case StateWork state:
                    await HandleStateAsync(state, ct);
                    break;
                case MessageWork message:
                    _horizon = Math.Max(_horizon, message.Seq);
                    _nextWake = await HandlePendingAsync(_horizon, ct);
                    due = false;
                    break;
            }
        }

        if (due)
        {
            _nextWake = await HandlePendingAsync(_horizon, ct);
        }
    }

    private async Task WaitForWorkAsync(TimeSpan wait, CancellationToken ct)
    {
        if (wait == Timeout.InfiniteTimeSpan)
        {
            await _work.Reader.WaitToReadAsync(ct);
            return;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(wait);
        try { await _work.Reader.WaitToReadAsync(timeout.Token); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
    }

    private async Task HandleStateAsync(StateWork state, CancellationToken ct)
    {
        try
        {
            await _handler.HandleStateAsync(state.RoomId, state.Source, state.Event, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Folding is in-memory work; a failure here is a bug, and the next start loads the room's state again.
            _logger.LogError(e, "State event {Type} ({EventId}) of {Room} not folded: {Error}", state.Event.Type, state.Event.EventId,
                state.RoomId, e.Message);
        }
    }

    /// <summary>Handles what is due up to the horizon; returns when the earliest postponed message is due again.</summary>
    private async Task<DateTimeOffset?> HandlePendingAsync(long horizon, CancellationToken ct)
    {
        DateTimeOffset? nextWake = null;
        var waitingRooms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (message, nextAttemptMs) in _store.Pending(horizon))
        {
            if (waitingRooms.Contains(message.RoomId))
            {
                continue;
            }

            var nextAttempt = DateTimeOffset.FromUnixTimeMilliseconds(nextAttemptMs);
            if (nextAttempt > _time.GetUtcNow())
            {
                waitingRooms.Add(message.RoomId);
                nextWake = Earliest(nextWake, nextAttempt);
                continue;
            }
            try
            {
                var outcome = await _handler.HandleMessageAsync(message, ct);
                _store.MarkDone(message.Seq, outcome);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                var attempts = message.Attempts + 1;
                var retryAt = _time.GetUtcNow() + Backoff(attempts);
                _store.Postpone(message.Seq, attempts, retryAt, e.Message);
                _logger.LogWarning("Room message {EventId} in {Room} from {Sender} not handled yet (attempt {Attempts}): {Error}; next try at {RetryAt:HH:mm:ss}",
                    message.EventId, message.RoomId, message.Sender, attempts, e.Message, retryAt);
                waitingRooms.Add(message.RoomId);
                nextWake = Earliest(nextWake, retryAt);
            }
        }
        return nextWake;
    }

    private TimeSpan Backoff(int attempts)
    {
        var factor = Math.Pow(2, Math.Min(attempts - 1, 20));
        var delay = TimeSpan.FromTicks((long)Math.Min(_firstRetry.Ticks * factor, _maxRetry.Ticks));
        return delay;
    }

    private static DateTimeOffset Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;

    /// <summary>Stops the worker (what is pending stays in the table).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _work.Writer.TryComplete();
        if (_worker is not null)
        {
            try { await _worker; }
            catch (Exception e) { _logger.LogDebug(e, "Incoming queue ended with an error"); }
        }
        _stop.Dispose();
    }
}
