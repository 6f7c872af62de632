using WalkieTalkie.Badge.Hardware;

namespace WalkieTalkie.Badge.Tests.Fakes;

/// <summary>Time that moves only when a test moves it.</summary>
public sealed class FakeClock : IClock
{
    public long Milliseconds { get; set; } = 1_000;

    public uint UnixSeconds { get; set; } = 1_800_000_000;

    public void Advance(long milliseconds) => Milliseconds += milliseconds;
}
