namespace WalkieTalkie.Gateway.Storage;

/// <summary>
/// Runs a lease's renewals on a thread of its own instead of the thread pool. A lease counts only until its end measured
/// from before the renewal asked, so a renewal that comes late loses it: on the pool a renewal waited for a free thread,
/// and under load (or while something in the process held many pool threads) it came late enough to lose the channels
/// and the bridge though the database answered at once. The schedule is fixed (the start plus whole periods, so the waits
/// do not drift); a renewal that overran its period (a slow database) is followed by the next at once, and the ticks it
/// overran are dropped rather than run back to back. The thread is a background one: it never keeps a process alive.
/// </summary>
public static class RenewalThread
{
    /// <summary>
    /// Calls <paramref name="renew"/> now and then every <paramref name="every"/> until <paramref name="stopping"/>, then
    /// <paramref name="stopped"/> once, all on a new background thread called <paramref name="name"/>.
    /// </summary>
    /// <returns>Completes when the thread ends: faulted with what <paramref name="renew"/> or <paramref name="stopped"/> threw.</returns>
    public static Task Start(string name, TimeSpan every, Action renew, Action stopped, TimeProvider time, CancellationToken stopping)
    {
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run(every, renew, time, stopping);
                stopped();
                ended.SetResult();
            }
            catch (Exception e)
            {
                ended.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return ended.Task;
    }

    private static void Run(TimeSpan every, Action renew, TimeProvider time, CancellationToken stopping)
    {
        var period = (long)(every.TotalSeconds * time.TimestampFrequency);
        var due = time.GetTimestamp();
        while (!stopping.IsCancellationRequested)
        {
            renew();
            due += period;
            var now = time.GetTimestamp();
            if (due < now)
            {
                due = now;
            }

            // WaitOne counts whole milliseconds: rounded up, so that a tick never comes early and is then waited for twice.
            while (now < due && !stopping.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(Math.Ceiling((due - now) * 1000.0 / time.TimestampFrequency))))
            {
                now = time.GetTimestamp();
            }
        }
    }
}
