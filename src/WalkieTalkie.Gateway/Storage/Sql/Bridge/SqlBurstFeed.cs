using WalkieTalkie.Bridge.Outgoing;
using WalkieTalkie.Bridge.Ports;

namespace WalkieTalkie.Gateway.Storage.Sql.Bridge;

/// <summary>
/// <see cref="IBurstFeed"/> over the recorder's <c>recordings</c> table: a channel's finished bursts since it was
/// linked, oldest first (burst ids grow), until acknowledged. Acknowledgements are rows in the same database. Bursts
/// of a virtual talker (a voice message from the room, played on the badges) are not offered: they came from the room.
/// </summary>
public class SqlBurstFeed(SqlDatabase database) : IBurstFeed
{
    /// <inheritdoc />
    public ValueTask<FinishedBurst?> PeekAsync(string channel, CancellationToken cancellationToken)
    {
        using var connection = database.ConnectDurable();
        using var command = SqlDatabase.Command(connection, """
            SELECT r.burst_id, r.badge_id, r.started_at_ms, r.frames_lost, r.complete, r.path
            FROM recordings r
            JOIN channels c ON c.number = r.channel
            JOIN matrix_channel_links l ON l.channel = c.name
            WHERE c.name = @name AND r.finished = 1 AND r.burst_id >= l.first_burst_id
              AND r.burst_id NOT IN (SELECT burst_id FROM bridge_acknowledged)
              AND substr(r.badge_id, 1, length(@virtual)) <> @virtual AND r.private_to = ''
            ORDER BY r.burst_id LIMIT 1
            """, ("name", channel), ("virtual", Bursts.Talker.MatrixPrefix));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return ValueTask.FromResult<FinishedBurst?>(null);
        }

        return ValueTask.FromResult<FinishedBurst?>(new FinishedBurst(channel, reader.GetString(1), (uint)reader.GetInt64(0),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), (int)reader.GetInt64(3), reader.GetInt64(4) == 0,
            reader.GetString(5)));
    }

    /// <inheritdoc />
    public ValueTask AcknowledgeAsync(FinishedBurst burst, CancellationToken cancellationToken)
    {
        using var connection = database.ConnectDurable();
        SqlDatabase.Execute(connection, "INSERT INTO bridge_acknowledged (burst_id) VALUES (@id) ON CONFLICT DO NOTHING", ("id", (long)burst.BurstId));
        return ValueTask.CompletedTask;
    }
}
