namespace WalkieTalkie.Gateway.Storage.Sql;

/// <summary>The last talker each badge heard on each channel, in the gateway database.</summary>
public class SqlLastTalkerStore(SqlDatabase database) : ILastTalkerStore
{
    public void Set(string badgeId, byte channel, string talkerKey, string? matrixUserId, long atMs)
    {
        using var connection = database.Connect();
        SqlDatabase.Execute(connection, """
            INSERT INTO last_talkers (badge_id, channel, talker, matrix_user_id, at_ms)
            SELECT @b, @c, @t, @u, @at WHERE EXISTS (SELECT 1 FROM badges WHERE id = @b)
            ON CONFLICT (badge_id, channel) DO UPDATE SET talker = excluded.talker, matrix_user_id = excluded.matrix_user_id, at_ms = excluded.at_ms
            """, ("b", badgeId), ("c", (long)channel), ("t", talkerKey), ("u", matrixUserId ?? ""), ("at", atMs));
    }

    public IReadOnlyList<LastTalkerRecord> All()
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, "SELECT badge_id, channel, talker, matrix_user_id FROM last_talkers ORDER BY at_ms");
        using var reader = command.ExecuteReader();
        var list = new List<LastTalkerRecord>();
        while (reader.Read())
        {
            var userId = reader.GetString(3);
            list.Add(new LastTalkerRecord(reader.GetString(0), (byte)reader.GetInt64(1), reader.GetString(2), userId.Length == 0 ? null : userId));
        }

        return list;
    }
}
