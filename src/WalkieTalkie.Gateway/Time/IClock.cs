using WalkieTalkie.Gateway.Hosting;

namespace WalkieTalkie.Gateway.Time;

/// <summary>The time, injectable so that floor, permit and presence rules are testable without waiting.</summary>
public interface IClock
{
    DateTimeOffset Now { get; }
}

/// <summary>The machine's clock.</summary>
public sealed class SystemClock : IClock
{
    public static readonly SystemClock Instance = new();

    public DateTimeOffset Now => DateTimeOffset.UtcNow;
}

/// <summary>A clock that moves only when told to: for tests.</summary>
public sealed class ManualClock(DateTimeOffset start) : IClock
{
    public DateTimeOffset Now { get; private set; } = start;

    public void Advance(TimeSpan by) => Now += by;
}
