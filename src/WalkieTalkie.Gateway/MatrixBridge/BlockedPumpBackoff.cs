using WalkieTalkie.Bridge.Channels;

namespace WalkieTalkie.Gateway.MatrixBridge;

/// <summary>
/// When the host may pump a channel's bridge again after it reported <see cref="OutgoingStatusKind.Blocked"/> (a
/// homeserver away, say). Without it a blocked channel would be pumped at every wake: during a minute's outage behind a
/// proxy answering 502, pumping every half second made 258 uploads of the same burst, each re-encoded first, and 258 warnings. Blocked pumps wait
/// 1 s, then twice as long each time up to <paramref name="max"/> (<c>HomeserverRetryMaxSeconds</c>); any other status
/// lets the next pump run at once. The cost is resuming up to <paramref name="max"/> after the homeserver returns.
/// </summary>
/// <param name="max">The longest wait between two blocked pumps.</param>
public sealed class BlockedPumpBackoff(TimeSpan max)
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    private int _blockedInARow;

    /// <summary>The earliest moment of the next pump.</summary>
    public DateTimeOffset NotBefore { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>Whether a pump may run at <paramref name="now"/>.</summary>
    public bool IsDue(DateTimeOffset now) => now >= NotBefore;

    /// <summary>Takes a pump's outcome; returns the wait before the next pump (zero unless blocked).</summary>
    public TimeSpan Record(OutgoingStatus status, DateTimeOffset now)
    {
        if (status.Kind != OutgoingStatusKind.Blocked)
        {
            _blockedInARow = 0;
            NotBefore = DateTimeOffset.MinValue;
            return TimeSpan.Zero;
        }
        _blockedInARow++;
        var wait = TimeSpan.FromTicks(Math.Min(max.Ticks, First.Ticks << Math.Min(_blockedInARow - 1, 20)));
        NotBefore = now + wait;
        return wait;
    }
}
