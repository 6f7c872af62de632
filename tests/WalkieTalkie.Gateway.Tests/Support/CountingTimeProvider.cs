namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>A clock and its timers (the system's unless told), counting the timers made and how often they fired.</summary>
public sealed class CountingTimeProvider(TimeProvider? inner = null) : TimeProvider
{
    private readonly TimeProvider _inner = inner ?? System;
    private int _created;
    private int _fired;

    public int Created => Volatile.Read(ref _created);

    public int Fired => Volatile.Read(ref _fired);

    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow();

    public override long GetTimestamp() => _inner.GetTimestamp();

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _created);
        return _inner.CreateTimer(s =>
        {
            Interlocked.Increment(ref _fired);
            callback(s);
        }, state, dueTime, period);
    }
}
