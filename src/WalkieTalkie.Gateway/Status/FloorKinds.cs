using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Status;

/// <summary>
/// The floor log's kinds read from a stored decision: the engine writes <c>granted</c> (reason <c>free</c>,
/// <c>preempted {badge}</c> or <c>voice message</c>), <c>denied</c> and <c>ended</c> (reason the burst's <c>EndReason</c>).
/// </summary>
public static class FloorKinds
{
    public const string PreemptedPrefix = "preempted ";
    public const string Released = nameof(WalkieTalkie.Protocol.Control.EndReason.Released);

    public static FloorKind Of(FloorDecisionRecord decision) => decision.Decision switch
    {
        "granted" when decision.Reason.StartsWith(PreemptedPrefix, StringComparison.Ordinal) => FloorKind.Preemption,
        "granted" => FloorKind.Grant,
        "denied" => FloorKind.Denial,
        _ when decision.Reason == Released => FloorKind.Release,
        _ => FloorKind.Cut,
    };
}
