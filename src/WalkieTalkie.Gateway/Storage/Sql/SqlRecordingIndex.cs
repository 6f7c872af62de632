using System.Data.Common;

namespace WalkieTalkie.Gateway.Storage.Sql;

/// <summary>The recordings table: a row is created when a burst starts (incomplete) and completed when it ends.</summary>
public class SqlRecordingIndex(SqlDatabase database) : IRecordingIndex
{
    /// <summary>The next free burst id (burst ids are unique per gateway and never reused).</summary>
    public uint NextBurstId()
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, "SELECT COALESCE(MAX(burst_id), 0) + 1 FROM recordings");
        return (uint)(long)command.ExecuteScalar()!;
    }

    public void Start(uint burstId, byte channel, string badgeId, long startedAtMs, string path, int sampleRate, string privateTo = "")
    {
        using var connection = database.Connect();
        SqlDatabase.Execute(connection, """
            INSERT INTO recordings (burst_id, channel, badge_id, started_at_ms, path, sample_rate, complete, private_to)
            VALUES (@id, @c, @b, @t, @path, @rate, 0, @to)
            """, ("id", (long)burstId), ("c", (long)channel), ("b", badgeId), ("t", startedAtMs), ("path", path), ("rate", sampleRate),
            ("to", privateTo));
    }

    public void Finish(uint burstId, long durationMs, int framesReceived, int framesLost, int blockBytes, bool complete, int endReason)
    {
        using var connection = database.Connect();
        SqlDatabase.Execute(connection, """
            UPDATE recordings SET duration_ms = @d, frames_received = @r, frames_lost = @l, block_bytes = @bb,
                complete = @c, end_reason = @e, finished = 1 WHERE burst_id = @id
            """, ("id", (long)burstId), ("d", durationMs), ("r", framesReceived), ("l", framesLost), ("bb", blockBytes),
            ("c", complete ? 1L : 0L), ("e", endReason));
    }

    /// <summary>Notes the block layout once the first frame arrived, so a recording cut short can be counted in frames.</summary>
    public void SetLayout(uint burstId, int blockBytes, int blocksPerFrame)
    {
        using var connection = database.Connect();
        SqlDatabase.Execute(connection, "UPDATE recordings SET block_bytes = @bb, blocks_per_frame = @n WHERE burst_id = @id",
            ("id", (long)burstId), ("bb", blockBytes), ("n", blocksPerFrame));
    }

    /// <summary>The blocks per frame noted by <see cref="SetLayout"/>.</summary>
    public int BlocksPerFrame(uint burstId)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, "SELECT blocks_per_frame FROM recordings WHERE burst_id = @id", ("id", (long)burstId));
        return (int)(long)(command.ExecuteScalar() ?? 1L);
    }

    public RecordingRecord? Get(uint burstId) => Query("WHERE burst_id = @id", ("id", (long)burstId)).FirstOrDefault();

    /// <summary>Recordings never finished: the gateway was killed during the burst (the row is still incomplete).</summary>
    public IReadOnlyList<RecordingRecord> Unfinished() => Query("WHERE finished = 0");

    public IReadOnlyList<RecordingRecord> Recent(int count) => Query("ORDER BY burst_id DESC LIMIT @n", ("n", count));

    public IReadOnlyList<RecordingRecord> Between(long fromMs, long toMs, IReadOnlyCollection<byte>? channels) =>
        Query($"WHERE pruned = 0 AND started_at_ms >= @from AND started_at_ms < @to {SqlDatabase.ChannelFilter(channels)} ORDER BY started_at_ms, burst_id",
            ("from", fromMs), ("to", toMs));

    private List<RecordingRecord> Query(string where, params (string, object?)[] parameters)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, $"""
            SELECT burst_id, channel, badge_id, started_at_ms, duration_ms, frames_received, frames_lost, complete, path,
                   sample_rate, block_bytes, end_reason, private_to FROM recordings {where}
            """, parameters);
        return ReadAll(command);
    }

    /// <summary>
    /// Reads every row of a query whose columns are, in order: burst_id, channel, badge_id, started_at_ms,
    /// duration_ms, frames_received, frames_lost, complete, path, sample_rate, block_bytes, end_reason, and optionally private_to.
    /// </summary>
    internal static List<RecordingRecord> ReadAll(DbCommand command)
    {
        using var reader = command.ExecuteReader();
        var list = new List<RecordingRecord>();
        while (reader.Read())
        {
            list.Add(new RecordingRecord((uint)reader.GetInt64(0), (byte)reader.GetInt64(1), reader.GetString(2), reader.GetInt64(3),
                reader.GetInt64(4), (int)reader.GetInt64(5), (int)reader.GetInt64(6), reader.GetInt64(7) != 0, reader.GetString(8),
                (int)reader.GetInt64(9), (int)reader.GetInt64(10), (int)reader.GetInt64(11))
            {
                PrivateTo = reader.FieldCount > 12 ? reader.GetString(12) : "",
            });
        }

        return list;
    }
}
