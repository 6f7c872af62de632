using System.Data.Common;

namespace WalkieTalkie.Gateway.Storage.Sql;

/// <summary>Channels and which badges belong to them.</summary>
public class SqlChannelStore(SqlDatabase database) : IChannelStore
{
    public void Add(int number, string name, int sampleRate = 8000, int maxTalkSeconds = 30, int retentionDays = ChannelRecord.DefaultRetentionDays)
    {
        ChannelValues.CheckRetention(retentionDays);
        ChannelValues.CheckNumber(number);
        ChannelValues.CheckSampleRate(sampleRate);
        ChannelValues.CheckMaxTalk(maxTalkSeconds);
        RegistryNames.Check("a channel's name", name);
        using var connection = database.Connect();
        CheckNameFree(connection, name, number);

        try
        {
            SqlDatabase.Execute(connection,
                "INSERT INTO channels (number, name, sample_rate, max_talk_seconds, retention_days) VALUES (@n, @name, @rate, @max, @days)",
                ("n", number), ("name", name), ("rate", sampleRate), ("max", maxTalkSeconds), ("days", retentionDays));
        }
        catch (DbException e) when (database.Dialect.IsUniqueViolation(e))
        {
            throw new RegistryException($"channel {number} already exists");
        }

        database.BumpConfigVersion(connection);
    }

    public IReadOnlyList<ChannelRecord> List()
    {
        using var connection = database.Connect();
        return RegistryRows.Channels(connection);
    }

    public void SetRetention(int channel, int days)
    {
        ChannelValues.CheckRetention(days);
        using var connection = database.Connect();
        UpdateChannel(connection, channel, "UPDATE channels SET retention_days = @v WHERE number = @n", days);
    }

    public void Rename(int channel, string name)
    {
        RegistryNames.Check("a channel's name", name);
        using var connection = database.Connect();
        CheckNameFree(connection, name, channel);
        UpdateChannel(connection, channel, "UPDATE channels SET name = @v WHERE number = @n", name);
    }

    public void SetSampleRate(int channel, int sampleRate)
    {
        ChannelValues.CheckSampleRate(sampleRate);
        using var connection = database.Connect();
        UpdateChannel(connection, channel, "UPDATE channels SET sample_rate = @v WHERE number = @n", sampleRate);
    }

    public void SetMaxTalkSeconds(int channel, int seconds)
    {
        ChannelValues.CheckMaxTalk(seconds);
        using var connection = database.Connect();
        UpdateChannel(connection, channel, "UPDATE channels SET max_talk_seconds = @v WHERE number = @n", seconds);
    }

    private void UpdateChannel(DbConnection connection, int channel, string sql, object value)
    {
        using var command = SqlDatabase.Command(connection, sql, ("v", value), ("n", channel));
        if (command.ExecuteNonQuery() == 0)
        {
            throw new RegistryException($"no channel {channel}");
        }

        database.BumpConfigVersion(connection);
    }

    // The name is how Matrix links and the CLI find a channel: two of one name would be one room for both.
    private static void CheckNameFree(DbConnection connection, string name, int number)
    {
        using var named = SqlDatabase.Command(connection, "SELECT number FROM channels WHERE name = @name AND number <> @n", ("name", name),
            ("n", number));
        if (named.ExecuteScalar() is long other)
        {
            throw new RegistryException($"channel {other} is already named '{name}'");
        }
    }

    public void SetEndTone(int channel, bool on)
    {
        using var connection = database.Connect();
        try
        {
            SqlDatabase.Execute(connection,
                "INSERT INTO channel_options (channel, end_tone) VALUES (@c, @on) ON CONFLICT (channel) DO UPDATE SET end_tone = @on",
                ("c", channel), ("on", on ? 1L : 0L));
        }
        catch (DbException e) when (database.Dialect.IsForeignKeyViolation(e))
        {
            throw new RegistryException($"no channel {channel}");
        }

        database.BumpConfigVersion(connection);
    }

    public void Join(int channel, string badgeId)
    {
        using var connection = database.Connect();
        try
        {
            SqlDatabase.Execute(connection, "INSERT INTO memberships (badge_id, channel) VALUES (@b, @c) ON CONFLICT DO NOTHING",
                ("b", badgeId), ("c", channel));
        }
        catch (DbException e) when (database.Dialect.IsForeignKeyViolation(e))
        {
            throw new RegistryException($"no badge '{badgeId}' or no channel {channel}");
        }

        database.BumpConfigVersion(connection);
    }

    public void Leave(int channel, string badgeId)
    {
        using var connection = database.Connect();
        using (var delete = SqlDatabase.Command(connection, "DELETE FROM memberships WHERE badge_id = @b AND channel = @c",
            ("b", badgeId), ("c", channel)))
        {
            if (delete.ExecuteNonQuery() == 0)
            {
                throw new RegistryException($"badge '{badgeId}' is not a member of channel {channel}");
            }
        }

        SqlDatabase.Execute(connection, "DELETE FROM permits WHERE badge_id = @b AND channel = @c", ("b", badgeId), ("c", channel));
        database.BumpConfigVersion(connection);
    }
}
