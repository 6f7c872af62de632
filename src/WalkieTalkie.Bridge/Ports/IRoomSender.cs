using System.Text.Json.Nodes;

namespace WalkieTalkie.Bridge.Ports;

/// <summary>
/// The persistent outbox of the Matrix client. Messages of one account and room are sent in the order enqueued,
/// encrypted when the room is; a homeserver that is away delays them, never loses them. The adapter tells the
/// bridge when one is sent (<see cref="Channels.ChannelBridge.OnEventSentAsync"/>), never from inside a call of this interface.
/// </summary>
public interface IRoomSender
{
    /// <summary>
    /// Stores the message durably for sending. Idempotent per <c>TransactionId</c> (the bridge's ids are unique
    /// across accounts): a second call with the same id does nothing.
    /// </summary>
    ValueTask EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken);

    /// <summary>The event id of a sent transaction, or null when it is not sent yet (lets the bridge catch up after a restart).</summary>
    ValueTask<string?> SentEventIdAsync(string transactionId, CancellationToken cancellationToken);
}

/// <summary>An event for the outbox.</summary>
/// <param name="SendAs">The account to send from.</param>
/// <param name="RoomId">The room.</param>
/// <param name="EventType">The event type (before encryption).</param>
/// <param name="StateKey">The state key of a state event, or null for a message.</param>
/// <param name="Content">The content (before encryption; the encryptor keeps <c>m.relates_to</c> in clear, as the spec asks).</param>
/// <param name="TransactionId">The transaction id, fixed by what the message stands for.</param>
public sealed record OutboxMessage(string SendAs, string RoomId, string EventType, string? StateKey, JsonObject Content, string TransactionId);
