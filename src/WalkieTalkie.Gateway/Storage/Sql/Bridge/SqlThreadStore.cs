using WalkieTalkie.Bridge.Outgoing;

namespace WalkieTalkie.Gateway.Storage.Sql.Bridge;

/// <summary><see cref="IThreadStore"/> in the gateway database: one walkie session row per channel.</summary>
public class SqlThreadStore(SqlDatabase database) : IThreadStore
{
    /// <inheritdoc />
    public SessionState? Load(string channel)
    {
        using var connection = database.ConnectDurable();
        using var command = SqlDatabase.Command(connection,
            "SELECT root_txn, root_event, latest_txn, latest_event, last_ended_ms FROM bridge_sessions WHERE channel = @c", ("c", channel));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return new SessionState(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)));
    }

    /// <inheritdoc />
    public void Save(string channel, SessionState? state)
    {
        using var connection = database.ConnectDurable();
        if (state is null)
        {
            SqlDatabase.Execute(connection, "DELETE FROM bridge_sessions WHERE channel = @c", ("c", channel));
            return;
        }
        SqlDatabase.Execute(connection, """
            INSERT INTO bridge_sessions (channel, root_txn, root_event, latest_txn, latest_event, last_ended_ms)
            VALUES (@c, @rt, @re, @lt, @le, @end)
            ON CONFLICT (channel) DO UPDATE SET root_txn = excluded.root_txn, root_event = excluded.root_event, latest_txn = excluded.latest_txn,
                latest_event = excluded.latest_event, last_ended_ms = excluded.last_ended_ms
            """, ("c", channel), ("rt", state.RootTransactionId), ("re", state.RootEventId), ("lt", state.LatestTransactionId),
            ("le", state.LatestEventId), ("end", state.LastEndedAt.ToUnixTimeMilliseconds()));
    }
}
