using WalkieTalkie.Badge.Simulation.Hardware;

namespace WalkieTalkie.Badge.Simulation.Tests.Support;

/// <summary>
/// Notices when this process stopped running: a thread that wakes every few milliseconds and notes every gap longer
/// than a threshold on the fleet's clock. A stall of the process (the machine busy with other
/// work, a garbage collection) stops the talker, the relay and the listeners alike; while it lasts and until the
/// listeners took back what it added, the network is not the steady one a latency verdict assumes.
/// </summary>
internal sealed class StallWatch : IDisposable
{
    private readonly RunClock _clock;
    private readonly List<Stall> _stalls = [];
    private readonly double _thresholdMilliseconds;
    private readonly Thread _thread;
    private volatile bool _stopping;

    /// <param name="thresholdMilliseconds">The shortest gap that counts as a stall.</param>
    public StallWatch(RunClock clock, double thresholdMilliseconds)
    {
        _clock = clock;
        _thresholdMilliseconds = thresholdMilliseconds;
        _thread = new Thread(Watch) { IsBackground = true, Name = "stall watch", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    public IReadOnlyList<Stall> Stalls
    {
        get
        {
            lock (_stalls)
            {
                return [.. _stalls];
            }
        }
    }

    /// <summary>When the listeners should have taken back what the last stall added (0 before any stall).</summary>
    public double SettledAt => Stalls.Select(stall => stall.SettledAt).DefaultIfEmpty(0).Max();

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
    }

    private void Watch()
    {
        var last = _clock.PreciseMilliseconds;
        while (!_stopping)
        {
            Thread.Sleep(5);
            var now = _clock.PreciseMilliseconds;
            if (now - last > _thresholdMilliseconds)
            {
                lock (_stalls)
                {
                    _stalls.Add(new Stall(last, now));
                }
            }

            last = now;
        }
    }
}
