using Microsoft.Extensions.Time.Testing;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>A fake clock whose timers fire as it is advanced, counting those armed (due to fire) now: what wakes a
/// gateway that has nothing to do.</summary>
public sealed class ArmedFakeTime : FakeTimeProvider
{
    private readonly List<Armed> _timers = [];

    public int ArmedCount
    {
        get
        {
            lock (_timers)
            {
                return _timers.Count(t => t.Due != Timeout.InfiniteTimeSpan);
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var armed = new Armed { Due = dueTime, Period = period };
        armed.Inner = base.CreateTimer(s =>
        {
            if (armed.Period == Timeout.InfiniteTimeSpan)
            {
                armed.Due = Timeout.InfiniteTimeSpan;
            }

            callback(s);
        }, state, dueTime, period);
        lock (_timers)
        {
            _timers.Add(armed);
        }

        return armed;
    }

    private sealed class Armed : ITimer
    {
        public ITimer Inner { get; set; } = null!;

        public TimeSpan Due { get; set; }

        public TimeSpan Period { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            (Due, Period) = (dueTime, period);
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            Due = Timeout.InfiniteTimeSpan;
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
