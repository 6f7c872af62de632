using System.Text.Json;
using WalkieTalkie.Bridge.Ports;

namespace WalkieTalkie.Gateway.Storage.Sql.Bridge;

/// <summary><see cref="IBurstIndex"/> in the gateway database (pending receipts as a JSON array of badge ids).</summary>
public class SqlBurstIndex(SqlDatabase database) : IBurstIndex
{
    /// <inheritdoc />
    public BurstLink? Find(uint burstId) => FindWhere("burst_id = @v", (long)burstId);

    /// <inheritdoc />
    public BurstLink? FindByTransaction(string transactionId) => FindWhere("txn = @v", transactionId);

    /// <inheritdoc />
    public BurstLink? FindByEvent(string eventId) => FindWhere("event_id = @v", eventId);

    /// <inheritdoc />
    public void Save(BurstLink link)
    {
        using var connection = database.ConnectDurable();
        SqlDatabase.Execute(connection, """
            INSERT INTO bridge_burst_links (burst_id, channel, txn, event_id, pending_receipts) VALUES (@id, @c, @t, @e, @p)
            ON CONFLICT (burst_id) DO UPDATE SET channel = excluded.channel, txn = excluded.txn, event_id = excluded.event_id,
                pending_receipts = excluded.pending_receipts
            """, ("id", (long)link.BurstId), ("c", link.Channel), ("t", link.TransactionId), ("e", link.EventId),
            ("p", JsonSerializer.Serialize(link.PendingReceipts)));
    }

    private BurstLink? FindWhere(string where, object value)
    {
        using var connection = database.ConnectDurable();
        using var command = SqlDatabase.Command(connection,
            $"SELECT burst_id, channel, txn, event_id, pending_receipts FROM bridge_burst_links WHERE {where} LIMIT 1", ("v", value));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var pending = JsonSerializer.Deserialize<string[]>(reader.GetString(4)) ?? [];
        return new BurstLink((uint)reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3), pending);
    }
}
