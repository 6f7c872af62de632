using WalkieTalkie.Gateway.Storage.Bridge;

namespace WalkieTalkie.Gateway.Storage.Sql.Bridge;

/// <summary>The <c>bridge_outbox_map</c> table.</summary>
public class SqlOutboxMap(SqlDatabase database) : IOutboxMap
{
    public void Save(string transactionId, string userId, long outboxEntryId)
    {
        using var connection = database.ConnectDurable();
        SqlDatabase.Execute(connection, "INSERT INTO bridge_outbox_map (txn, user_id, outbox_entry_id) VALUES (@t, @u, @id) ON CONFLICT DO NOTHING",
            ("t", transactionId), ("u", userId), ("id", outboxEntryId));
    }

    public (string UserId, long EntryId)? Find(string transactionId)
    {
        using var connection = database.ConnectDurable();
        using var command = SqlDatabase.Command(connection,
            "SELECT user_id, outbox_entry_id FROM bridge_outbox_map WHERE txn = @t", ("t", transactionId));
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetInt64(1)) : null;
    }

    public string? TransactionOf(string userId, long outboxEntryId)
    {
        using var connection = database.ConnectDurable();
        using var command = SqlDatabase.Command(connection,
            "SELECT txn FROM bridge_outbox_map WHERE user_id = @u AND outbox_entry_id = @id", ("u", userId), ("id", outboxEntryId));
        return command.ExecuteScalar() as string;
    }
}
