using System.Globalization;
using Npgsql;
using WalkieTalkie.Gateway.Quiet;

namespace WalkieTalkie.Gateway.Storage.Postgres;

/// <summary>Quiet-hours schedules and do-not-disturb in PostgreSQL.</summary>
public sealed class PostgresQuietStore(PostgresDatabase database) : IQuietStore
{
    public long Add(QuietScope scope, string target, QuietDays days, TimeOnly start, TimeOnly end, string timeZoneId)
    {
        QuietScheduleValues.Check(days, start, end, timeZoneId);
        using var connection = database.Open();
        var exists = scope == QuietScope.Badge
            ? PostgresDatabase.Command(connection, "SELECT COUNT(*) FROM badges WHERE id = @t", ("t", target))
            : PostgresDatabase.Command(connection, "SELECT COUNT(*) FROM channels WHERE number = @t",
                ("t", byte.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1L));
        using (exists)
        {
            if ((long)exists.ExecuteScalar()! == 0)
            {
                throw new RegistryException($"no {(scope == QuietScope.Badge ? "badge" : "channel")} '{target}'");
            }
        }

        using var insert = PostgresDatabase.Command(connection,
            "INSERT INTO quiet_schedules (scope, target, days, start_min, end_min, time_zone) VALUES (@s, @t, @d, @a, @b, @z) RETURNING id",
            ("s", scope == QuietScope.Badge ? "badge" : "channel"), ("t", target), ("d", (long)days.Mask),
            ("a", (long)QuietScheduleValues.Minutes(start)), ("b", (long)QuietScheduleValues.Minutes(end)), ("z", timeZoneId));
        var id = (long)insert.ExecuteScalar()!;
        database.BumpConfigVersion(connection);
        return id;
    }

    public IReadOnlyList<QuietSchedule> List()
    {
        using var connection = database.Open();
        return ReadSchedules(connection);
    }

    public void Remove(long id)
    {
        using var connection = database.Open();
        using var command = PostgresDatabase.Command(connection, "DELETE FROM quiet_schedules WHERE id = @id", ("id", id));
        if (command.ExecuteNonQuery() == 0)
        {
            throw new RegistryException($"no quiet-hours schedule {id}");
        }

        database.BumpConfigVersion(connection);
    }

    public void SetDoNotDisturb(string badgeId, bool on)
    {
        using var connection = database.Open();
        using var exists = PostgresDatabase.Command(connection, "SELECT COUNT(*) FROM badges WHERE id = @id", ("id", badgeId));
        if ((long)exists.ExecuteScalar()! == 0)
        {
            throw new RegistryException($"no badge '{badgeId}'");
        }

        PostgresDatabase.Execute(connection, on
            ? "INSERT INTO do_not_disturb (badge_id) VALUES (@id) ON CONFLICT DO NOTHING"
            : "DELETE FROM do_not_disturb WHERE badge_id = @id", ("id", badgeId));
        database.BumpConfigVersion(connection);
    }

    public IReadOnlySet<string> DoNotDisturb()
    {
        using var connection = database.Open();
        return ReadDoNotDisturb(connection);
    }

    internal static QuietRules ReadRules(NpgsqlConnection connection) => new(ReadSchedules(connection), ReadDoNotDisturb(connection));

    /// <summary>Every schedule; one whose time zone this machine does not know is skipped rather than failing the registry.</summary>
    internal static List<QuietSchedule> ReadSchedules(NpgsqlConnection connection)
    {
        using var command = PostgresDatabase.Command(connection,
            "SELECT id, scope, target, days, start_min, end_min, time_zone FROM quiet_schedules ORDER BY id");
        using var reader = command.ExecuteReader();
        var schedules = new List<QuietSchedule>();
        while (reader.Read())
        {
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(reader.GetString(6), out var zone))
            {
                continue;
            }

            schedules.Add(new QuietSchedule(reader.GetInt64(0), reader.GetString(1) == "badge" ? QuietScope.Badge : QuietScope.Channel,
                reader.GetString(2), new QuietDays((int)reader.GetInt64(3)), QuietScheduleValues.FromMinutes(reader.GetInt64(4)),
                QuietScheduleValues.FromMinutes(reader.GetInt64(5)), zone));
        }

        return schedules;
    }

    private static HashSet<string> ReadDoNotDisturb(NpgsqlConnection connection)
    {
        using var command = PostgresDatabase.Command(connection, "SELECT badge_id FROM do_not_disturb");
        using var reader = command.ExecuteReader();
        var badges = new HashSet<string>();
        while (reader.Read())
        {
            badges.Add(reader.GetString(0));
        }

        return badges;
    }
}
