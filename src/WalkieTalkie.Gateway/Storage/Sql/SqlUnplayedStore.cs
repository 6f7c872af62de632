namespace WalkieTalkie.Gateway.Storage.Sql;

/// <summary>Per badge, the bursts it missed and has not played yet.</summary>
public class SqlUnplayedStore(SqlDatabase database) : IUnplayedStore
{
    public void Queue(string badgeId, uint burstId, long nowMs)
    {
        using var connection = database.Connect();
        SqlDatabase.Execute(connection, "INSERT INTO unplayed (badge_id, burst_id, queued_at) VALUES (@b, @id, @t) ON CONFLICT DO NOTHING",
            ("b", badgeId), ("id", (long)burstId), ("t", nowMs));
    }

    public bool Contains(string badgeId, uint burstId)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, "SELECT 1 FROM unplayed WHERE badge_id = @b AND burst_id = @id",
            ("b", badgeId), ("id", (long)burstId));
        return command.ExecuteScalar() is not null;
    }

    public void MarkPlayed(string badgeId, uint burstId)
    {
        using var connection = database.Connect();
        SqlDatabase.Execute(connection, "DELETE FROM unplayed WHERE badge_id = @b AND burst_id = @id", ("b", badgeId), ("id", (long)burstId));
    }

    /// <summary>The badge's queue, oldest first, with what the unplayed list tells about each burst.</summary>
    public IReadOnlyList<RecordingRecord> List(string badgeId)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, """
            SELECT r.burst_id, r.channel, r.badge_id, r.started_at_ms, r.duration_ms, r.frames_received, r.frames_lost, r.complete,
                   r.path, r.sample_rate, r.block_bytes, r.end_reason
            FROM unplayed u JOIN recordings r ON r.burst_id = u.burst_id WHERE u.badge_id = @b ORDER BY r.burst_id
            """, ("b", badgeId));
        return SqlRecordingIndex.ReadAll(command);
    }
}
