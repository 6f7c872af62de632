namespace WalkieTalkie.Matrix.Client.Tests.Support;

/// <summary>A clock a test moves by hand (the outbox's stuck limit is measured with it; its delays stay real).</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
