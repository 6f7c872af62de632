using Microsoft.Data.Sqlite;

namespace WalkieTalkie.Gateway.Storage.Sqlite;

/// <summary>Channels and which badges belong to them.</summary>
public sealed class SqliteChannelStore(SqliteDatabase database) : IChannelStore
{
    public void Add(int number, string name, int sampleRate = 8000, int maxTalkSeconds = 30)
    {
        if (number is < 0 or > 255)
        {
            throw new RegistryException("a channel number is 0-255");
        }

        if (sampleRate is not (8000 or 16000))
        {
            throw new RegistryException("a channel's sample rate is 8000 or 16000");
        }

        if (maxTalkSeconds is < 1 or > ushort.MaxValue)
        {
            throw new RegistryException("max talk seconds must be 1-65535");
        }

        using var connection = database.Open();
        try
        {
            SqliteDatabase.Execute(connection,
                "INSERT INTO channels (number, name, sample_rate, max_talk_seconds) VALUES ($n, $name, $rate, $max)",
                ("$n", number), ("$name", name), ("$rate", sampleRate), ("$max", maxTalkSeconds));
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            throw new RegistryException($"channel {number} already exists");
        }

        database.BumpConfigVersion(connection);
    }

    public IReadOnlyList<ChannelRecord> List()
    {
        using var connection = database.Open();
        return ReadAll(connection);
    }

    internal static List<ChannelRecord> ReadAll(SqliteConnection connection)
    {
        using var command = SqliteDatabase.Command(connection,
            "SELECT number, name, sample_rate, max_talk_seconds, coalesce(o.end_tone, 1) FROM channels "
            + "LEFT JOIN channel_options o ON o.channel = number ORDER BY number");
        using var reader = command.ExecuteReader();
        var channels = new List<ChannelRecord>();
        while (reader.Read())
        {
            channels.Add(new ChannelRecord((byte)reader.GetInt64(0), reader.GetString(1), (int)reader.GetInt64(2), (int)reader.GetInt64(3),
                reader.GetInt64(4) != 0));
        }

        return channels;
    }

    public void SetEndTone(int channel, bool on)
    {
        using var connection = database.Open();
        try
        {
            SqliteDatabase.Execute(connection,
                "INSERT INTO channel_options (channel, end_tone) VALUES ($c, $on) ON CONFLICT (channel) DO UPDATE SET end_tone = $on",
                ("$c", channel), ("$on", on ? 1 : 0));
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            throw new RegistryException($"no channel {channel}");
        }

        database.BumpConfigVersion(connection);
    }

    public void Join(int channel, string badgeId)
    {
        using var connection = database.Open();
        try
        {
            SqliteDatabase.Execute(connection, "INSERT OR IGNORE INTO memberships (badge_id, channel) VALUES ($b, $c)", ("$b", badgeId), ("$c", channel));
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            throw new RegistryException($"no badge '{badgeId}' or no channel {channel}");
        }

        database.BumpConfigVersion(connection);
    }

    public void Leave(int channel, string badgeId)
    {
        using var connection = database.Open();
        SqliteDatabase.Execute(connection, "DELETE FROM memberships WHERE badge_id = $b AND channel = $c", ("$b", badgeId), ("$c", channel));
        SqliteDatabase.Execute(connection, "DELETE FROM permits WHERE badge_id = $b AND channel = $c", ("$b", badgeId), ("$c", channel));
        database.BumpConfigVersion(connection);
    }

    internal static List<(string BadgeId, byte Channel)> ReadMemberships(SqliteConnection connection)
    {
        using var command = SqliteDatabase.Command(connection, "SELECT badge_id, channel FROM memberships ORDER BY channel, badge_id");
        using var reader = command.ExecuteReader();
        var list = new List<(string, byte)>();
        while (reader.Read())
        {
            list.Add((reader.GetString(0), (byte)reader.GetInt64(1)));
        }

        return list;
    }
}
