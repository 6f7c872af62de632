namespace WalkieTalkie.Gateway.Storage;

/// <summary>What the floor log shows of a decision: a grant, a grant that took the floor from someone, a denial, a burst cut short, or a release.</summary>
public enum FloorKind
{
    Grant,
    Preemption,
    Denial,
    Cut,
    Release,
}

/// <summary>
/// A page of the floor log: the decisions on <paramref name="Channels"/> (null: every channel), of one badge, of one
/// kind, in a time range (Unix ms, inclusive; null: open), newest first, <paramref name="Limit"/> after skipping <paramref name="Offset"/>.
/// </summary>
public sealed record FloorLogQuery(IReadOnlyCollection<byte>? Channels, string? BadgeId, FloorKind? Kind, long? FromMs, long? ToMs, int Offset, int Limit);
