using WalkieTalkie.Bridge.Events;

namespace WalkieTalkie.Bridge.State;

/// <summary>What <see cref="RoomWalkieState.Apply"/> did with one event.</summary>
/// <param name="Kind">Applied, refused, or not a walkie event.</param>
/// <param name="Rejection">For <see cref="ApplyKind.Refused"/>: why (to log).</param>
public sealed record ApplyOutcome(ApplyKind Kind, EventRejection? Rejection = null)
{
    internal static ApplyOutcome Applied { get; } = new(ApplyKind.Applied);
    internal static ApplyOutcome Unrelated { get; } = new(ApplyKind.Unrelated);
}

/// <summary>Kinds of <see cref="ApplyOutcome"/>.</summary>
public enum ApplyKind
{
    /// <summary>The event was valid and is now the state at its key.</summary>
    Applied,

    /// <summary>The event broke a rule: it replaced its key's state, which now grants nothing.</summary>
    Refused,

    /// <summary>Not an event the walkie state is made of (a message, another state type, a state key the spec does not use).</summary>
    Unrelated,
}
