namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>The system's clock and timers, counting the timers made and how often they fired.</summary>
public sealed class CountingTimeProvider : TimeProvider
{
    private int _created;
    private int _fired;

    public int Created => Volatile.Read(ref _created);

    public int Fired => Volatile.Read(ref _fired);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _created);
        return System.CreateTimer(s =>
        {
            Interlocked.Increment(ref _fired);
            callback(s);
        }, state, dueTime, period);
    }
}
