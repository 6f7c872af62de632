namespace WalkieTalkie.Badge.Simulation;

/// <summary>
/// Keeps the process's thread pool from making a fleet's network wait. Every virtual badge's MQTT client (and, in a
/// test or a bench, the relay or the gateway beside it) receives and sends on this process's thread pool, where a real
/// badge has a network stack of its own. The pool starts only as many threads at once as the machine has cores; when
/// those are busy or blocked (a test host blocks two for its whole run), queued work waits for the pool's starvation
/// check, which adds one thread every half second. The drift test's timeline showed exactly that: three work items
/// pending for 450-500 ms while frames that left the talker on time reached both listeners 500-900 ms late, and none
/// with the floor raised.
/// </summary>
internal static class ThreadPoolFloor
{
    // Threads one badge may keep busy at once: its client's receive loop, its send queue, keep-alive and a spare.
    private const int ThreadsPerBadge = 4;

    private const int Spare = 16;

    // Beyond this a fleet is a load test, where threads started on demand cost more than a wait.
    private const int Most = 256;

    /// <summary>Raises the pool's minimum of worker threads for <paramref name="badges"/> badges (never lowers it).</summary>
    public static void RaiseFor(int badges)
    {
        var wanted = Math.Min(Most, badges * ThreadsPerBadge + Spare);
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (workers < wanted)
        {
            ThreadPool.SetMinThreads(wanted, io);
        }
    }
}
