using System.Data.Common;
using WalkieTalkie.Gateway.Quiet;

namespace WalkieTalkie.Gateway.Storage;

/// <summary>
/// The registry's rows read into records, the same for every provider: the tables have the same columns in SQLite
/// and PostgreSQL, and both give their integers as 64-bit.
/// </summary>
internal static class RegistryRows
{
    public static List<BadgeRecord> Badges(DbConnection connection) =>
        Read(connection, "SELECT id, name, secret_hash, priority FROM badges ORDER BY id",
            r => new BadgeRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3) != 0));

    public static List<ChannelRecord> Channels(DbConnection connection) =>
        Read(connection, "SELECT number, name, sample_rate, max_talk_seconds, retention_days, coalesce(o.end_tone, 1) FROM channels "
            + "LEFT JOIN channel_options o ON o.channel = number ORDER BY number",
            r => new ChannelRecord((byte)r.GetInt64(0), r.GetString(1), (int)r.GetInt64(2), (int)r.GetInt64(3), (int)r.GetInt64(4), r.GetInt64(5) != 0));

    public static List<(string BadgeId, byte Channel)> Memberships(DbConnection connection) =>
        Read(connection, "SELECT badge_id, channel FROM memberships ORDER BY channel, badge_id", r => (r.GetString(0), (byte)r.GetInt64(1)));

    public static List<PermitRecord> Permits(DbConnection connection) =>
        Read(connection, "SELECT badge_id, channel, offered, accepted, until, offered_by, offer_sent FROM permits ORDER BY channel, badge_id",
            r => new PermitRecord(r.GetString(0), (byte)r.GetInt64(1), (byte)r.GetInt64(2), (byte)r.GetInt64(3), r.GetInt64(4), r.GetString(5),
                r.GetInt64(6) != 0));

    public static List<EmergencyRecord> Emergencies(DbConnection connection) =>
        Read(connection, "SELECT badge_id, opened_at_ms FROM emergencies ORDER BY opened_at_ms, badge_id",
            r => new EmergencyRecord(r.GetString(0), r.GetInt64(1)));

    public static QuietRules Quiet(DbConnection connection) => new(QuietSchedules(connection), DoNotDisturb(connection));

    /// <summary>Every schedule; one whose time zone this machine does not know is skipped rather than failing the registry.</summary>
    public static List<QuietSchedule> QuietSchedules(DbConnection connection) =>
        Read(connection, "SELECT id, scope, target, days, start_min, end_min, time_zone FROM quiet_schedules ORDER BY id",
                r => TimeZoneInfo.TryFindSystemTimeZoneById(r.GetString(6), out var zone)
                    ? new QuietSchedule(r.GetInt64(0), r.GetString(1) == "badge" ? QuietScope.Badge : QuietScope.Channel, r.GetString(2),
                        new QuietDays((int)r.GetInt64(3)), QuietScheduleValues.FromMinutes(r.GetInt64(4)),
                        QuietScheduleValues.FromMinutes(r.GetInt64(5)), zone)
                    : null)
            .OfType<QuietSchedule>().ToList();

    public static HashSet<string> DoNotDisturb(DbConnection connection) =>
        Read(connection, "SELECT badge_id FROM do_not_disturb", r => r.GetString(0)).ToHashSet();

    private static List<T> Read<T>(DbConnection connection, string sql, Func<DbDataReader, T> row)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(row(reader));
        }

        return rows;
    }
}
