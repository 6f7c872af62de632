using System.Globalization;
using WalkieTalkie.Gateway.Quiet;

namespace WalkieTalkie.Gateway.Storage.Sql;

/// <summary>Quiet-hours schedules and do-not-disturb in the registry's tables.</summary>
public class SqlQuietStore(SqlDatabase database) : IQuietStore
{
    public long Add(QuietScope scope, string target, QuietDays days, TimeOnly start, TimeOnly end, string timeZoneId)
    {
        QuietScheduleValues.Check(days, start, end, timeZoneId);
        using var connection = database.Connect();
        var exists = scope == QuietScope.Badge
            ? SqlDatabase.Command(connection, "SELECT COUNT(*) FROM badges WHERE id = @t", ("t", target))
            : SqlDatabase.Command(connection, "SELECT COUNT(*) FROM channels WHERE number = @t",
                ("t", byte.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1L));
        using (exists)
        {
            if ((long)exists.ExecuteScalar()! == 0)
            {
                throw new RegistryException($"no {(scope == QuietScope.Badge ? "badge" : "channel")} '{target}'");
            }
        }

        using var insert = SqlDatabase.Command(connection,
            "INSERT INTO quiet_schedules (scope, target, days, start_min, end_min, time_zone) VALUES (@s, @t, @d, @a, @b, @z) RETURNING id",
            ("s", scope == QuietScope.Badge ? "badge" : "channel"), ("t", target), ("d", (long)days.Mask),
            ("a", (long)QuietScheduleValues.Minutes(start)), ("b", (long)QuietScheduleValues.Minutes(end)), ("z", timeZoneId));
        var id = (long)insert.ExecuteScalar()!;
        database.BumpConfigVersion(connection);
        return id;
    }

    public IReadOnlyList<QuietSchedule> List()
    {
        using var connection = database.Connect();
        return RegistryRows.QuietSchedules(connection);
    }

    public void Remove(long id)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, "DELETE FROM quiet_schedules WHERE id = @id", ("id", id));
        if (command.ExecuteNonQuery() == 0)
        {
            throw new RegistryException($"no quiet-hours schedule {id}");
        }

        database.BumpConfigVersion(connection);
    }

    public void SetDoNotDisturb(string badgeId, bool on)
    {
        using var connection = database.Connect();
        using var exists = SqlDatabase.Command(connection, "SELECT COUNT(*) FROM badges WHERE id = @id", ("id", badgeId));
        if ((long)exists.ExecuteScalar()! == 0)
        {
            throw new RegistryException($"no badge '{badgeId}'");
        }

        SqlDatabase.Execute(connection, on
            ? "INSERT INTO do_not_disturb (badge_id) VALUES (@id) ON CONFLICT DO NOTHING"
            : "DELETE FROM do_not_disturb WHERE badge_id = @id", ("id", badgeId));
        database.BumpConfigVersion(connection);
    }

    public IReadOnlySet<string> DoNotDisturb()
    {
        using var connection = database.Connect();
        return RegistryRows.DoNotDisturb(connection);
    }
}
