namespace WalkieTalkie.Bridge.Mirroring;

/// <summary>What mirroring decided: events to send, changes to apply on the gateway, and what it could not do.</summary>
/// <param name="ToSend">State events to send to the room.</param>
/// <param name="ToApply">Changes to apply to the gateway's permit table.</param>
/// <param name="Notes">Things left undone, with why (to log).</param>
public sealed record MirrorPlan(
    IReadOnlyList<OutgoingStateEvent> ToSend, IReadOnlyList<GatewayPermitChange> ToApply, IReadOnlyList<MirrorNote> Notes)
{
    /// <summary>True when both sides already agree.</summary>
    public bool IsEmpty => ToSend.Count == 0 && ToApply.Count == 0;
}

/// <summary>Something mirroring could not do.</summary>
/// <param name="BadgeId">The badge concerned.</param>
/// <param name="Message">What and why.</param>
public sealed record MirrorNote(string BadgeId, string Message);
