using System.Globalization;
using WalkieTalkie.Gateway.Quiet;

namespace WalkieTalkie.Gateway.Storage.Sqlite;

/// <summary>Quiet-hours schedules and do-not-disturb in the registry's tables.</summary>
public sealed class SqliteQuietStore(SqliteDatabase database) : IQuietStore
{
    public long Add(QuietScope scope, string target, QuietDays days, TimeOnly start, TimeOnly end, string timeZoneId)
    {
        QuietScheduleValues.Check(days, start, end, timeZoneId);
        using var connection = database.Open();
        var exists = scope == QuietScope.Badge
            ? SqliteDatabase.Command(connection, "SELECT COUNT(*) FROM badges WHERE id = $t", ("$t", target))
            : SqliteDatabase.Command(connection, "SELECT COUNT(*) FROM channels WHERE number = $t",
                ("$t", byte.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1));
        using (exists)
        {
            if ((long)exists.ExecuteScalar()! == 0)
            {
                throw new RegistryException($"no {(scope == QuietScope.Badge ? "badge" : "channel")} '{target}'");
            }
        }

        using var insert = SqliteDatabase.Command(connection,
            "INSERT INTO quiet_schedules (scope, target, days, start_min, end_min, time_zone) VALUES ($s, $t, $d, $a, $b, $z) RETURNING id",
            ("$s", scope == QuietScope.Badge ? "badge" : "channel"), ("$t", target), ("$d", days.Mask),
            ("$a", QuietScheduleValues.Minutes(start)), ("$b", QuietScheduleValues.Minutes(end)), ("$z", timeZoneId));
        var id = (long)insert.ExecuteScalar()!;
        database.BumpConfigVersion(connection);
        return id;
    }

    public IReadOnlyList<QuietSchedule> List()
    {
        using var connection = database.Open();
        return RegistryRows.QuietSchedules(connection);
    }

    public void Remove(long id)
    {
        using var connection = database.Open();
        using var command = SqliteDatabase.Command(connection, "DELETE FROM quiet_schedules WHERE id = $id", ("$id", id));
        if (command.ExecuteNonQuery() == 0)
        {
            throw new RegistryException($"no quiet-hours schedule {id}");
        }

        database.BumpConfigVersion(connection);
    }

    public void SetDoNotDisturb(string badgeId, bool on)
    {
        using var connection = database.Open();
        using var exists = SqliteDatabase.Command(connection, "SELECT COUNT(*) FROM badges WHERE id = $id", ("$id", badgeId));
        if ((long)exists.ExecuteScalar()! == 0)
        {
            throw new RegistryException($"no badge '{badgeId}'");
        }

        SqliteDatabase.Execute(connection, on
            ? "INSERT OR IGNORE INTO do_not_disturb (badge_id) VALUES ($id)"
            : "DELETE FROM do_not_disturb WHERE badge_id = $id", ("$id", badgeId));
        database.BumpConfigVersion(connection);
    }

    public IReadOnlySet<string> DoNotDisturb()
    {
        using var connection = database.Open();
        return RegistryRows.DoNotDisturb(connection);
    }
}
