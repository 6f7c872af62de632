using WalkieTalkie.Bridge.Outgoing;
using WalkieTalkie.Gateway.Storage.Bridge;

namespace WalkieTalkie.Gateway.Storage.Sql.Bridge;

/// <summary>
/// <see cref="IDirectReplyFeed"/> over the recorder's <c>recordings</c>: finished bursts whose <c>private_to</c> is a
/// Matrix user id (it starts with '@'; a badge id never does), acknowledged in <c>bridge_acknowledged</c> as channel
/// bursts are.
/// </summary>
public class SqlDirectReplyFeed(SqlDatabase database) : IDirectReplyFeed
{
    /// <inheritdoc />
    public DirectReply? Peek()
    {
        using var connection = database.ConnectDurable();
        using var command = SqlDatabase.Command(connection, """
            SELECT r.burst_id, r.badge_id, r.started_at_ms, r.frames_lost, r.complete, r.path, r.channel, r.private_to,
                   COALESCE(c.name, CAST(r.channel AS TEXT))
            FROM recordings r LEFT JOIN channels c ON c.number = r.channel
            WHERE r.finished = 1 AND substr(r.private_to, 1, 1) = '@'
              AND r.burst_id NOT IN (SELECT burst_id FROM bridge_acknowledged)
            ORDER BY r.burst_id LIMIT 1
            """);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var burst = new FinishedBurst(reader.GetString(8), reader.GetString(1), (uint)reader.GetInt64(0),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), (int)reader.GetInt64(3), reader.GetInt64(4) == 0, reader.GetString(5));
        return new DirectReply(burst, (byte)reader.GetInt64(6), reader.GetString(7));
    }

    /// <inheritdoc />
    public void Acknowledge(DirectReply reply)
    {
        using var connection = database.ConnectDurable();
        SqlDatabase.Execute(connection, "INSERT INTO bridge_acknowledged (burst_id) VALUES (@id) ON CONFLICT DO NOTHING", ("id", (long)reply.Burst.BurstId));
    }
}
