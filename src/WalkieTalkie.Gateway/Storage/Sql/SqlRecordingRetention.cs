using WalkieTalkie.Gateway.Storage.Sql.Bridge;

namespace WalkieTalkie.Gateway.Storage.Sql;

/// <summary>
/// <see cref="IRecordingRetention"/> over the recordings, channels and the bridge's tables: "owed to the room" is
/// exactly what <see cref="SqlBurstFeed"/> would still hand the bridge (a linked channel's burst from its link on,
/// not acknowledged, not itself a voice message from the room) and what <see cref="SqlDirectReplyFeed"/> would (a
/// private reply to a Matrix user); a private reply between two badges is never owed to any room.
/// </summary>
public class SqlRecordingRetention(SqlDatabase database) : IRecordingRetention
{
    private const long DayMs = 24L * 3600 * 1000;

    public IReadOnlyList<RecordingRecord> Expired(DateTimeOffset now, int limit)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, """
            SELECT r.burst_id, r.channel, r.badge_id, r.started_at_ms, r.duration_ms, r.frames_received, r.frames_lost, r.complete, r.path,
                   r.sample_rate, r.block_bytes, r.end_reason
            FROM recordings r LEFT JOIN channels c ON c.number = r.channel
            WHERE r.finished = 1 AND r.pruned = 0
              AND COALESCE(c.retention_days, @default) > 0
              AND r.started_at_ms < @now - COALESCE(c.retention_days, @default) * @day
              AND NOT EXISTS (
                  SELECT 1 FROM matrix_channel_links l
                  WHERE l.channel = c.name AND r.burst_id >= l.first_burst_id
                    AND r.burst_id NOT IN (SELECT burst_id FROM bridge_acknowledged)
                    AND substr(r.badge_id, 1, length(@virtual)) <> @virtual
                    AND (r.private_to = '' OR substr(r.private_to, 1, 1) = '@'))
            ORDER BY r.burst_id LIMIT @limit
            """, ("now", now.ToUnixTimeMilliseconds()), ("day", DayMs), ("default", (long)ChannelRecord.DefaultRetentionDays),
            ("virtual", Bursts.Talker.MatrixPrefix), ("limit", limit));
        return SqlRecordingIndex.ReadAll(command);
    }

    public void MarkPruned(uint burstId)
    {
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction();
        SqlDatabase.Execute(connection, "UPDATE recordings SET pruned = 1 WHERE burst_id = @id", ("id", (long)burstId));
        SqlDatabase.Execute(connection, "DELETE FROM unplayed WHERE burst_id = @id", ("id", (long)burstId));
        transaction.Commit();
    }
}
