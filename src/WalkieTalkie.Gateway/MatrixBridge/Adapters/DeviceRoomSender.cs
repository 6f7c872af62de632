using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Matrix.Sending;

namespace WalkieTalkie.Gateway.MatrixBridge.Adapters;

/// <summary>
/// <see cref="IRoomSender"/> and <see cref="IReceiptSender"/> on the badges' devices. Each message is queued in the
/// sending device's outbox under the bridge's own transaction id, which the outbox keeps once: a message handed over
/// again (a redelivered burst, a replanned state event, or a crash after the enqueue and before the mapping below was
/// written) queues nothing new. The <see cref="IOutboxMap"/> maps the bridge's id to the account and outbox entry, so
/// that <see cref="SentEventIdAsync"/> knows which device to ask and the host can map "sent" reports back.
/// </summary>
public sealed class DeviceRoomSender(IOutboxMap map, BadgeDevices devices) : IRoomSender, IReceiptSender
{
    /// <inheritdoc />
    public async ValueTask EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        if (map.Find(message.TransactionId) is not null)
        {
            return;
        }

        var device = devices.Of(message.SendAs);
        if (message.StateKey is not null)
        {
            throw new NotSupportedException("state events are sent by the permit mirror's adapter (RoomStateSender)");
        }
        // Idempotent per transaction id: after a crash between this line and the mapping, the redelivery gets the same entry.
        var entry = await device.SendAsync(message.RoomId, message.EventType, message.Content, message.TransactionId, cancellationToken);
        map.Save(message.TransactionId, message.SendAs, entry.Id);
    }

    /// <inheritdoc />
    public async ValueTask<string?> SentEventIdAsync(string transactionId, CancellationToken cancellationToken)
    {
        if (map.Find(transactionId) is not { } mapped)
        {
            return null;
        }

        var entries = await devices.Of(mapped.UserId).Outbox.ListAsync(OutboxState.Sent, cancellationToken);
        return entries.FirstOrDefault(e => e.Id == mapped.EntryId)?.EventId;
    }

    /// <summary>The bridge's transaction id of an outbox entry of an account, or null when the bridge did not send it.</summary>
    public string? TransactionOf(string userId, long outboxEntryId) => map.TransactionOf(userId, outboxEntryId);

    /// <inheritdoc />
    public async ValueTask SendReadReceiptAsync(string asUser, string roomId, string eventId, CancellationToken cancellationToken) =>
        await devices.Of(asUser).Client.SendReadReceiptAsync(roomId, eventId, cancellationToken);
}
