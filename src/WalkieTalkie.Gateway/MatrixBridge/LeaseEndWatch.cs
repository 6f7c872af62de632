using Microsoft.Extensions.Logging;

namespace WalkieTalkie.Gateway.MatrixBridge;

/// <summary>
/// Halts the bridge and cancels its token when its lease is about to end, from a background thread of its own
/// (<see cref="BridgeLease.CancelWhenEnding"/>), so that the stop never waits for the thread pool: the halt (the bridge's
/// devices, <see cref="MatrixBridgeHost.Halt"/>) and the token's callbacks run on this thread. It sleeps until the end as last
/// known, at most <see cref="BridgeLease.CheckEvery"/> at a time, and reads the end again each time it wakes, so a
/// renewal that came meanwhile (or one that lost the lease) is seen. Disposing it ends the watch without cancelling.
/// </summary>
public sealed class LeaseEndWatch : IDisposable
{
    /// <summary>A watch that never cancels anything (a gateway alone on its site always holds the lease).</summary>
    public static readonly IDisposable Never = new NoWatch();

    private readonly Func<long> _until;
    private readonly TimeProvider _time;
    private readonly Action _halt;
    private readonly CancellationTokenSource _held;
    private readonly ILogger _logger;
    private readonly ManualResetEventSlim _disposed = new(false);

    private LeaseEndWatch(Func<long> until, TimeProvider time, Action halt, CancellationTokenSource held, ILogger logger)
    {
        _until = until;
        _time = time;
        _halt = halt;
        _held = held;
        _logger = logger;
    }

    /// <summary>Starts watching.</summary>
    /// <param name="until">The timestamp (<see cref="TimeProvider.GetTimestamp"/>) at which to cancel, read again at each wake.</param>
    /// <param name="time">The clock of <paramref name="until"/>.</param>
    /// <param name="halt">Called then, first.</param>
    /// <param name="held">Cancelled then, after.</param>
    /// <param name="logger">Where a failing halt or cancellation callback is logged.</param>
    public static LeaseEndWatch Start(Func<long> until, TimeProvider time, Action halt, CancellationTokenSource held, ILogger logger)
    {
        var watch = new LeaseEndWatch(until, time, halt, held, logger);
        new Thread(watch.Watch) { IsBackground = true, Name = "Matrix bridge lease watch" }.Start();
        return watch;
    }

    private void Watch()
    {
        long until;
        while (true)
        {
            until = _until();
            var left = until - _time.GetTimestamp();
            if (left <= 0)
            {
                break;
            }

            // Rounded up to whole milliseconds (what the wait counts): never woken before the end and cancelling early.
            var wait = TimeSpan.FromMilliseconds(Math.Ceiling(left * 1000.0 / _time.TimestampFrequency));
            if (_disposed.Wait(wait < BridgeLease.CheckEvery ? wait : BridgeLease.CheckEvery))
            {
                return;
            }
        }

        if (_disposed.IsSet)
        {
            return;
        }

        // Not under a lock: the callbacks (and the continuations they complete) may run here a while, and the bridge's
        // loop disposing this watch meanwhile must not wait for them. A token its owner disposed meanwhile is over anyway.
        var cancelling = _time.GetTimestamp();
        try
        {
            _halt();
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Halting the Matrix bridge as its lease ends failed; it is stopped all the same");
        }

        try
        {
            _held.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return;
        }
        catch (AggregateException e)
        {
            _logger.LogWarning(e, "Stopping the Matrix bridge as its lease ends: a cancellation callback failed");
        }

        // How late the halt came (within the margin, no other gateway may take the lease yet); nothing when it was lost outright.
        if (until > 0)
        {
            _logger.LogInformation("Matrix bridge halted {Late:0} ms after its lease's end less the margin (the halt took {Took:0} ms)",
                Milliseconds(cancelling - until), Milliseconds(_time.GetTimestamp() - cancelling));
        }
    }

    private double Milliseconds(long ticks) => ticks * 1000.0 / _time.TimestampFrequency;

    /// <summary>Ends the watch without cancelling (the bridge stopped first).</summary>
    public void Dispose() => _disposed.Set();

    private sealed class NoWatch : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
