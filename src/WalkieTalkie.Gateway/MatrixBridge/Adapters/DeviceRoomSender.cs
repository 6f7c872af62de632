using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Matrix.Sending;

using WalkieTalkie.Gateway.Storage.Sqlite.Bridge;

namespace WalkieTalkie.Gateway.MatrixBridge.Adapters;

/// <summary>
/// <see cref="IRoomSender"/> and <see cref="IReceiptSender"/> on the badges' devices. Each message is queued in the
/// sending device's outbox under the bridge's own transaction id, which the outbox keeps once: a message handed over
/// again (a redelivered burst, a replanned state event, or a crash after the enqueue and before the mapping below was
/// written) queues nothing new. <c>bridge_outbox_map</c> maps the bridge's id to the account and outbox entry, so that
/// <see cref="SentEventIdAsync"/> knows which device to ask and the host can map "sent" reports back.
/// </summary>
public sealed class DeviceRoomSender(SqliteDatabase database, BadgeDevices devices) : IRoomSender, IReceiptSender
{
    /// <inheritdoc />
    public async ValueTask EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        if (Mapped(message.TransactionId) is not null)
        {
            return;
        }

        var device = devices.Of(message.SendAs);
        if (message.StateKey is not null)
        {
            throw new NotSupportedException("state events are sent by the permit mirror's adapter, which this build does not have yet");
        }
        // Idempotent per transaction id: after a crash between this line and the mapping, the redelivery gets the same entry.
        var entry = await device.SendAsync(message.RoomId, message.EventType, message.Content, message.TransactionId, cancellationToken);
        using var connection = BridgeSchema.Open(database);
        SqliteDatabase.Execute(connection, "INSERT OR IGNORE INTO bridge_outbox_map (txn, user_id, outbox_entry_id) VALUES ($t, $u, $id)",
            ("$t", message.TransactionId), ("$u", message.SendAs), ("$id", entry.Id));
    }

    /// <inheritdoc />
    public async ValueTask<string?> SentEventIdAsync(string transactionId, CancellationToken cancellationToken)
    {
        if (Mapped(transactionId) is not { } mapped)
        {
            return null;
        }

        var entries = await devices.Of(mapped.UserId).Outbox.ListAsync(OutboxState.Sent, cancellationToken);
        return entries.FirstOrDefault(e => e.Id == mapped.EntryId)?.EventId;
    }

    /// <summary>The bridge's transaction id of an outbox entry of an account, or null when the bridge did not send it.</summary>
    public string? TransactionOf(string userId, long outboxEntryId)
    {
        using var connection = BridgeSchema.Open(database);
        using var command = SqliteDatabase.Command(connection,
            "SELECT txn FROM bridge_outbox_map WHERE user_id = $u AND outbox_entry_id = $id", ("$u", userId), ("$id", outboxEntryId));
        return command.ExecuteScalar() as string;
    }

    /// <inheritdoc />
    public async ValueTask SendReadReceiptAsync(string asUser, string roomId, string eventId, CancellationToken cancellationToken) =>
        await devices.Of(asUser).Client.SendReadReceiptAsync(roomId, eventId, cancellationToken);

    private (string UserId, long EntryId)? Mapped(string transactionId)
    {
        using var connection = BridgeSchema.Open(database);
        using var command = SqliteDatabase.Command(connection,
            "SELECT user_id, outbox_entry_id FROM bridge_outbox_map WHERE txn = $t", ("$t", transactionId));
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetInt64(1)) : null;
    }
}
