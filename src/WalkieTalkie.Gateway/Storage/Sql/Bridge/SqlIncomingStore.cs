using System.Data.Common;
using WalkieTalkie.Gateway.Storage.Bridge;

namespace WalkieTalkie.Gateway.Storage.Sql.Bridge;

/// <summary>
/// The <c>bridge_incoming</c> table: room messages persisted the moment a badge's device delivers them (before the
/// device commits its sync token, which moves past them only once they are here), handled in arrival order, and marked done with their
/// outcome. Done rows are kept <see cref="DoneRetention"/> as tombstones: every badge device in the room delivers the
/// same event, often after another device's copy was handled, and the tombstone makes that a no-op.
/// </summary>
public class SqlIncomingStore : IIncomingEventStore
{
    /// <summary>How long a handled event's row stays to swallow late copies from other badge devices.</summary>
    public static readonly TimeSpan DoneRetention = TimeSpan.FromDays(7);

    private readonly SqlDatabase _database;
    private readonly TimeProvider _time;

    public SqlIncomingStore(SqlDatabase database, TimeProvider? time = null)
    {
        _database = database;
        _time = time ?? TimeProvider.System;
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Persists a delivered event (durable when it returns). Returns its sequence number when it is new, null when the
    /// event is already here (another badge device's copy); a copy that knows the sending device where the first did not
    /// fills it in while the event waits.
    /// </summary>
    public long? Add(string eventId, string roomId, string sender, string? senderDevice, string type, string contentJson, long originServerTs)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using (var insert = SqlDatabase.Command(connection, """
            INSERT INTO bridge_incoming (event_id, room_id, sender, sender_device, type, content, origin_ts, received_ms)
            VALUES (@e, @r, @s, @d, @t, @c, @ts, @now) ON CONFLICT DO NOTHING RETURNING seq
            """, ("e", eventId), ("r", roomId), ("s", sender), ("d", senderDevice), ("t", type), ("c", contentJson),
            ("ts", originServerTs), ("now", NowMs)))
        {
            insert.Transaction = transaction;
            if (insert.ExecuteScalar() is long seq)
            {
                transaction.Commit();
                return seq;
            }
        }

        if (senderDevice is not null)
        {
            using var upgrade = SqlDatabase.Command(connection, """
                UPDATE bridge_incoming SET sender_device = @d
                WHERE event_id = @e AND sender_device IS NULL AND done_ms IS NULL
                """, ("d", senderDevice), ("e", eventId));
            upgrade.Transaction = transaction;
            upgrade.ExecuteNonQuery();
        }
        transaction.Commit();
        return null;
    }

    /// <summary>The events not yet handled, up to <paramref name="upToSeq"/>, in arrival order.</summary>
    public IReadOnlyList<(IncomingEvent Event, long NextAttemptMs)> Pending(long upToSeq)
    {
        using var connection = Open();
        using var command = SqlDatabase.Command(connection, """
            SELECT seq, event_id, room_id, sender, sender_device, type, content, origin_ts, attempts, next_attempt_ms
            FROM bridge_incoming WHERE done_ms IS NULL AND seq <= @max ORDER BY seq
            """, ("max", upToSeq));
        using var reader = command.ExecuteReader();
        var pending = new List<(IncomingEvent, long)>();
        while (reader.Read())
        {
            pending.Add((new IncomingEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetInt64(7),
                (int)reader.GetInt64(8)), reader.GetInt64(9)));
        }

        return pending;
    }

    /// <summary>The highest sequence number ever given (0 when none).</summary>
    public long LastSeq()
    {
        using var connection = Open();
        using var command = SqlDatabase.Command(connection, "SELECT COALESCE(MAX(seq), 0) FROM bridge_incoming");
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The event was handled (played, ignored or refused): it becomes a tombstone with its outcome.</summary>
    public void MarkDone(long seq, string outcome)
    {
        using var connection = Open();
        SqlDatabase.Execute(connection, "UPDATE bridge_incoming SET done_ms = @now, outcome = @o, content = '{}' WHERE seq = @seq",
            ("now", NowMs), ("o", outcome), ("seq", seq));
    }

    /// <summary>An attempt failed: the event waits until <paramref name="nextAttempt"/>.</summary>
    public void Postpone(long seq, int attempts, DateTimeOffset nextAttempt, string error)
    {
        using var connection = Open();
        SqlDatabase.Execute(connection, "UPDATE bridge_incoming SET attempts = @a, next_attempt_ms = @next, last_error = @err WHERE seq = @seq",
            ("a", attempts), ("next", nextAttempt.ToUnixTimeMilliseconds()), ("err", error), ("seq", seq));
    }

    /// <summary>Removes the tombstones older than <see cref="DoneRetention"/>; returns how many.</summary>
    public int PruneDone()
    {
        using var connection = Open();
        using var command = SqlDatabase.Command(connection, "DELETE FROM bridge_incoming WHERE done_ms IS NOT NULL AND done_ms < @before",
            ("before", NowMs - (long)DoneRetention.TotalMilliseconds));
        return command.ExecuteNonQuery();
    }

    /// <summary>The outcome of a handled event, or null when it is pending or unknown (for tests and diagnostics).</summary>
    public string? OutcomeOf(string eventId)
    {
        using var connection = Open();
        using var command = SqlDatabase.Command(connection, "SELECT outcome FROM bridge_incoming WHERE event_id = @e", ("e", eventId));
        return command.ExecuteScalar() as string;
    }

    // The bridge's durability promise: each row is on disk when the call returns.
    private DbConnection Open() => _database.ConnectDurable();
}
