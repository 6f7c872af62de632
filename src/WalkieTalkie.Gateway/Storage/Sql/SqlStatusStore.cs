using System.Data.Common;

namespace WalkieTalkie.Gateway.Storage.Sql;

/// <summary>
/// What the running service shows to <c>walkie status</c>: floor holders, recent floor decisions, badge presence.
/// The service writes it; the CLI reads it.
/// </summary>
public class SqlStatusStore(SqlDatabase database) : IStatusStore
{
    private const int KeptDecisions = 500;

    public void RecordDecision(FloorDecisionRecord decision)
    {
        using var connection = database.Connect();
        SqlDatabase.Execute(connection, "INSERT INTO floor_decisions (at_ms, channel, badge_id, decision, reason, burst_id) VALUES (@t, @c, @b, @d, @r, @id)",
            ("t", decision.AtMs), ("c", (long)decision.Channel), ("b", decision.BadgeId), ("d", decision.Decision),
            ("r", decision.Reason), ("id", (long)decision.BurstId));
        SqlDatabase.Execute(connection, "DELETE FROM floor_decisions WHERE id <= (SELECT MAX(id) FROM floor_decisions) - @keep",
            ("keep", (long)KeptDecisions));
    }

    public void SetHolder(byte channel, string? badgeId, uint burstId, long sinceMs)
    {
        using var connection = database.Connect();
        if (badgeId is null)
        {
            SqlDatabase.Execute(connection, "DELETE FROM floor_holders WHERE channel = @c", ("c", (long)channel));
        }
        else
        {
            SqlDatabase.Execute(connection, """
                INSERT INTO floor_holders (channel, badge_id, burst_id, since_ms) VALUES (@c, @b, @id, @t)
                ON CONFLICT (channel) DO UPDATE SET badge_id = excluded.badge_id, burst_id = excluded.burst_id, since_ms = excluded.since_ms
                """, ("c", (long)channel), ("b", badgeId), ("id", (long)burstId), ("t", sinceMs));
        }
    }

    /// <summary>At service start: nobody holds a floor yet.</summary>
    public void ClearHolders()
    {
        using var connection = database.Connect();
        SqlDatabase.Execute(connection, "DELETE FROM floor_holders");
    }

    /// <summary>Writes badges' presence in one transaction.</summary>
    public void SetPresence(IReadOnlyCollection<PresenceRecord> presences)
    {
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction();
        foreach (var presence in presences)
        {
            using var command = SqlDatabase.Command(connection, """
                INSERT INTO presence (badge_id, state, until_s, last_seen_ms, battery_pct, rssi, firmware) VALUES (@b, @s, @u, @t, @p, @r, @f)
                ON CONFLICT (badge_id) DO UPDATE SET state = excluded.state, until_s = excluded.until_s, last_seen_ms = excluded.last_seen_ms,
                    battery_pct = excluded.battery_pct, rssi = excluded.rssi, firmware = excluded.firmware
                """, ("b", presence.BadgeId), ("s", presence.State), ("u", presence.UntilSeconds), ("t", presence.LastSeenMs),
                ("p", presence.BatteryPercent), ("r", presence.Rssi), ("f", presence.Firmware));
            command.Transaction = transaction;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public IReadOnlyList<FloorHolderRecord> Holders()
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, "SELECT channel, badge_id, burst_id, since_ms FROM floor_holders ORDER BY channel");
        using var reader = command.ExecuteReader();
        var list = new List<FloorHolderRecord>();
        while (reader.Read())
        {
            list.Add(new FloorHolderRecord((byte)reader.GetInt64(0), reader.GetString(1), (uint)reader.GetInt64(2), reader.GetInt64(3)));
        }

        return list;
    }

    public IReadOnlyList<FloorDecisionRecord> RecentDecisions(int count)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection,
            "SELECT at_ms, channel, badge_id, decision, reason, burst_id FROM floor_decisions ORDER BY id DESC LIMIT @n", ("n", count));
        return ReadDecisions(command);
    }

    public IReadOnlyList<FloorDecisionRecord> Decisions(FloorLogQuery query)
    {
        var kind = query.Kind switch
        {
            FloorKind.Grant => "AND decision = 'granted' AND reason NOT LIKE 'preempted %'",
            FloorKind.Preemption => "AND decision = 'granted' AND reason LIKE 'preempted %'",
            FloorKind.Denial => "AND decision = 'denied'",
            FloorKind.Cut => "AND decision = 'ended' AND reason <> 'Released'",
            FloorKind.Release => "AND decision = 'ended' AND reason = 'Released'",
            _ => "",
        };
        (string, object?)[] parameters = [("from", query.FromMs ?? long.MinValue), ("to", query.ToMs ?? long.MaxValue), ("n", query.Limit),
            ("skip", query.Offset)];
        var badge = "";
        if (query.BadgeId is not null)
        {
            badge = "AND badge_id = @badge";
            parameters = [.. parameters, ("badge", query.BadgeId)];
        }

        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, $"""
            SELECT at_ms, channel, badge_id, decision, reason, burst_id FROM floor_decisions
            WHERE at_ms >= @from AND at_ms <= @to {badge} {kind} {SqlDatabase.ChannelFilter(query.Channels)}
            ORDER BY id DESC LIMIT @n OFFSET @skip
            """, parameters);
        return ReadDecisions(command);
    }

    private static List<FloorDecisionRecord> ReadDecisions(DbCommand command)
    {
        using var reader = command.ExecuteReader();
        var list = new List<FloorDecisionRecord>();
        while (reader.Read())
        {
            list.Add(new FloorDecisionRecord(reader.GetInt64(0), (byte)reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), (uint)reader.GetInt64(5)));
        }

        return list;
    }

    public IReadOnlyList<PresenceRecord> Presence()
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection,
            "SELECT badge_id, state, until_s, last_seen_ms, battery_pct, rssi, firmware FROM presence ORDER BY badge_id");
        using var reader = command.ExecuteReader();
        var list = new List<PresenceRecord>();
        while (reader.Read())
        {
            list.Add(new PresenceRecord(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
                (int)reader.GetInt64(4), (int)reader.GetInt64(5), reader.GetString(6)));
        }

        return list;
    }
}
