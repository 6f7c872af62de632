using WalkieTalkie.Gateway.Storage.Bridge;

namespace WalkieTalkie.Gateway.Storage.Sqlite.Bridge;

/// <summary>The <c>bridge_outbox_map</c> table.</summary>
public sealed class SqliteOutboxMap(SqliteDatabase database) : IOutboxMap
{
    public void Save(string transactionId, string userId, long outboxEntryId)
    {
        using var connection = BridgeSchema.Open(database);
        SqliteDatabase.Execute(connection, "INSERT OR IGNORE INTO bridge_outbox_map (txn, user_id, outbox_entry_id) VALUES ($t, $u, $id)",
            ("$t", transactionId), ("$u", userId), ("$id", outboxEntryId));
    }

    public (string UserId, long EntryId)? Find(string transactionId)
    {
        using var connection = BridgeSchema.Open(database);
        using var command = SqliteDatabase.Command(connection,
            "SELECT user_id, outbox_entry_id FROM bridge_outbox_map WHERE txn = $t", ("$t", transactionId));
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetInt64(1)) : null;
    }

    public string? TransactionOf(string userId, long outboxEntryId)
    {
        using var connection = BridgeSchema.Open(database);
        using var command = SqliteDatabase.Command(connection,
            "SELECT txn FROM bridge_outbox_map WHERE user_id = $u AND outbox_entry_id = $id", ("$u", userId), ("$id", outboxEntryId));
        return command.ExecuteScalar() as string;
    }
}
