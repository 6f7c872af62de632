using System.Diagnostics;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>
/// A timer whose callback runs on a thread of its own, which sleeps until the timer is due. .NET's timers fire on the
/// runtime's timer thread and run their callback on the thread pool: each firing woke the timer thread and a pool worker
/// (often a second one, which the pool adds for parallelism), re-arming from the callback woke the timer thread again,
/// and the pool's gate thread, which watches the pool while it is busy, then woke twice a second. Here a firing is one
/// wake-up of one thread, and re-arming from the callback wakes no one.
/// </summary>
/// <remarks>
/// A periodic timer keeps its schedule (the next firing a period after the last one was due, not after it ran), unless
/// the callback ran past that, when the next is a period from then. The callback must not throw, as a pool timer's must not.
/// </remarks>
public sealed class DedicatedThreadTimer : ITimer
{
    /// <summary>The longest due time or period, as for .NET's timers.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly object _gate = new(); // Monitor's wait and pulse, which Lock does not have
    private readonly Action _callback;
    private readonly Thread _thread;
    private long _dueAt = long.MaxValue; // Stopwatch timestamp; MaxValue: not armed
    private long _period;                // Stopwatch ticks; 0: fires once
    private bool _disposed;

    /// <param name="name">The thread's name, as it shows in tools that list a process's threads.</param>
    /// <param name="callback">What runs, on the timer's thread, each time it is due.</param>
    public DedicatedThreadTimer(string name, Action callback)
    {
        _callback = callback;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, Timeout.InfiniteTimeSpan);
        ArgumentOutOfRangeException.ThrowIfLessThan(period, Timeout.InfiniteTimeSpan);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dueTime, Longest);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(period, Longest);
        lock (_gate)
        {
            if (_disposed)
            {
                return false;
            }

            _dueAt = dueTime == Timeout.InfiniteTimeSpan ? long.MaxValue : Stopwatch.GetTimestamp() + ToTimestamp(dueTime);
            _period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? 0 : Math.Max(1, ToTimestamp(period));
            Monitor.Pulse(_gate); // nobody waits when its own callback re-arms it: then the pulse does nothing
            return true;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            Monitor.Pulse(_gate);
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Whether the timer's thread is waiting (for the moment it is armed for, or to be armed).</summary>
    internal bool Asleep => (_thread.ThreadState & System.Threading.ThreadState.WaitSleepJoin) != 0;

    /// <summary>Whether the timer's thread has ended (after <see cref="Dispose"/>).</summary>
    internal bool Ended => !_thread.IsAlive;

    private void Run()
    {
        while (true)
        {
            lock (_gate)
            {
                while (true)
                {
                    if (_disposed)
                    {
                        return;
                    }

                    var now = Stopwatch.GetTimestamp();
                    if (_dueAt <= now)
                    {
                        _dueAt = NextDue(_dueAt, _period, now);
                        break;
                    }

                    Monitor.Wait(_gate, _dueAt == long.MaxValue ? Timeout.Infinite : Milliseconds(_dueAt - now));
                }
            }

            _callback();
        }
    }

    /// <summary>After a firing due at <paramref name="dueAt"/>, at <paramref name="now"/>: the next (MaxValue: none).</summary>
    internal static long NextDue(long dueAt, long period, long now) =>
        period == 0 ? long.MaxValue : dueAt + period > now ? dueAt + period : now + period;

    private static long ToTimestamp(TimeSpan span) => (long)(span.Ticks * (Stopwatch.Frequency / (double)TimeSpan.TicksPerSecond));

    // Rounded up, so that a wake-up is never before the moment and a spin of short waits never happens.
    private static int Milliseconds(long timestamps) =>
        (int)Math.Min(int.MaxValue - 1, (timestamps * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency);
}
