namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>
/// The system clock moved by an offset a test can change: the gateway's timers keep running in real time while its
/// idea of the wall clock jumps (to the end of a quiet-hours window, say).
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
