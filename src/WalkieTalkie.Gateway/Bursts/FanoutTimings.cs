using System.Diagnostics;

namespace WalkieTalkie.Gateway.Bursts;

/// <summary>
/// The gateway's own time per live frame: from the broker handing the frame over to the last listener's enqueue
/// (queueing in the engine, checks, recording, fan-out). The most recent frames in a preallocated ring, for the bench
/// and diagnostics; written by the engine's loop only.
/// </summary>
public sealed class FanoutTimings
{
    private readonly long[] _ticks = new long[8192];
    private long _count;

    public void Add(long startTimestamp)
    {
        _ticks[_count % _ticks.Length] = Stopwatch.GetTimestamp() - startTimestamp;
        Interlocked.Increment(ref _count);
    }

    /// <summary>Forgets what was recorded (the bench calls it between runs).</summary>
    public void Clear() => Interlocked.Exchange(ref _count, 0);

    /// <summary>The recorded times in milliseconds (the most recent 8192 at most).</summary>
    public double[] Milliseconds()
    {
        var count = (int)Math.Min(Interlocked.Read(ref _count), _ticks.Length);
        return _ticks.Take(count).Select(t => t * 1000.0 / Stopwatch.Frequency).ToArray();
    }
}
