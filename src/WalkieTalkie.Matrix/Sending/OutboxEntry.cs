using System.Text.Json.Nodes;

namespace WalkieTalkie.Matrix.Sending;

/// <summary>One outgoing room event as the outbox holds it.</summary>
/// <param name="Id">Position in the outbox: entries are sent in this order.</param>
/// <param name="RoomId">The room.</param>
/// <param name="TransactionId">Fixed when the entry is written and reused on every attempt.</param>
/// <param name="EventType">The event type as enqueued (before any preparation such as encryption).</param>
/// <param name="Content">The content as enqueued.</param>
/// <param name="State">Pending, sent or failed.</param>
/// <param name="EventId">The event id once sent.</param>
/// <param name="Error">The last error (for pending entries: the last transient one).</param>
/// <param name="Attempts">How many sends failed so far.</param>
/// <param name="HasMedia">Whether a file belongs to the event.</param>
/// <param name="MediaUri">The file's mxc URI once uploaded.</param>
public sealed record OutboxEntry(
    long Id,
    string RoomId,
    string TransactionId,
    string EventType,
    JsonObject Content,
    OutboxState State,
    string? EventId,
    string? Error,
    int Attempts,
    bool HasMedia,
    string? MediaUri);

/// <summary>What is actually sent for an entry after preparation (for instance the <c>m.room.encrypted</c> form).</summary>
public sealed record PreparedEvent(string EventType, JsonObject Content);

/// <summary>
/// Turns an entry into what is sent, once, just before its first send (e.g. Megolm encryption, done by the
/// crypto layer, not here). The result is stored and reused on every retry, so the same transaction id always
/// carries the same body. <paramref name="content"/> already holds the uploaded media's mxc URI.
/// </summary>
public delegate ValueTask<PreparedEvent> OutboxPreparer(OutboxEntry entry, JsonObject content, CancellationToken cancellationToken);
