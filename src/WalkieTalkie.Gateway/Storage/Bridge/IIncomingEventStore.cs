namespace WalkieTalkie.Gateway.Storage.Bridge;

/// <summary>A room message as a badge's device delivered it, kept until the bridge has handled it.</summary>
/// <param name="Seq">Arrival order across all rooms (the table's autoincrement key).</param>
/// <param name="EventId">The event id: the same event delivered by several badge devices is one row.</param>
/// <param name="RoomId">The room.</param>
/// <param name="Sender">The sending user.</param>
/// <param name="SenderDevice">The sending device when the crypto established it and its owner cross-signed it; else null.</param>
/// <param name="Type">The decrypted event type.</param>
/// <param name="ContentJson">The decrypted content, as JSON text.</param>
/// <param name="OriginServerTs">The homeserver's timestamp, ms since the epoch.</param>
/// <param name="Attempts">Failed attempts so far.</param>
public sealed record IncomingEvent(long Seq, string EventId, string RoomId, string Sender, string? SenderDevice, string Type,
    string ContentJson, long OriginServerTs, int Attempts = 0);

/// <summary>
/// Room messages persisted the moment a badge's device delivers them (before its sync token is committed: a failing
/// <see cref="Add"/> keeps the token where it was, so the message comes again), handled in arrival order, and marked done with their outcome; done rows stay a while as tombstones, so
/// the same event delivered by another badge device in the room is a no-op.
/// </summary>
public interface IIncomingEventStore
{
    /// <summary>Persists a delivered event; its sequence number when it is new, null when it is already here.</summary>
    long? Add(string eventId, string roomId, string sender, string? senderDevice, string type, string contentJson, long originServerTs);

    /// <summary>Events not done, up to <paramref name="upToSeq"/>, in arrival order, with when each may be tried again.</summary>
    IReadOnlyList<(IncomingEvent Event, long NextAttemptMs)> Pending(long upToSeq);

    /// <summary>The highest sequence number so far.</summary>
    long LastSeq();

    void MarkDone(long seq, string outcome);

    void Postpone(long seq, int attempts, DateTimeOffset nextAttempt, string error);

    /// <summary>Forgets done events older than their retention; returns how many.</summary>
    int PruneDone();

    /// <summary>How an event was handled, or null while it is pending or unknown.</summary>
    string? OutcomeOf(string eventId);
}
