namespace WalkieTalkie.Bridge.Channels;

/// <summary>Why <see cref="ChannelBridge.PumpOutgoingAsync"/> stopped.</summary>
/// <param name="Kind">Idle, waiting for a thread root, or blocked by a failure.</param>
/// <param name="Handled">Bursts it handed to the outbox or skipped in this call.</param>
/// <param name="Reason">For <see cref="OutgoingStatusKind.Blocked"/>: the failure, to log.</param>
public sealed record OutgoingStatus(OutgoingStatusKind Kind, int Handled, string? Reason = null);

/// <summary>Kinds of <see cref="OutgoingStatus"/>.</summary>
public enum OutgoingStatusKind
{
    /// <summary>No burst waits: call again when the recorder finishes one.</summary>
    Idle,

    /// <summary>The next burst continues a session whose first burst is not sent yet: call again when the outbox sends it.</summary>
    WaitingForRoot,

    /// <summary>A port failed (a homeserver away, a full disk): call again after a backoff; nothing was lost.</summary>
    Blocked,
}
