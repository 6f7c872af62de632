namespace WalkieTalkie.Gateway.Storage.Sqlite;

/// <summary>
/// What the running service shows to <c>walkie status</c>: floor holders, recent floor decisions, badge presence.
/// The service writes it; the CLI reads it.
/// </summary>
public sealed class SqliteStatusStore(SqliteDatabase database) : IStatusStore
{
    private const int KeptDecisions = 500;

    public void RecordDecision(FloorDecisionRecord decision)
    {
        using var connection = database.Open();
        SqliteDatabase.Execute(connection, """
            INSERT INTO floor_decisions (at_ms, channel, badge_id, decision, reason, burst_id) VALUES ($t, $c, $b, $d, $r, $id);
            DELETE FROM floor_decisions WHERE id <= (SELECT MAX(id) FROM floor_decisions) - $keep;
            """, ("$t", decision.AtMs), ("$c", (int)decision.Channel), ("$b", decision.BadgeId), ("$d", decision.Decision),
            ("$r", decision.Reason), ("$id", (long)decision.BurstId), ("$keep", KeptDecisions));
    }

    public void SetHolder(byte channel, string? badgeId, uint burstId, long sinceMs)
    {
        using var connection = database.Open();
        if (badgeId is null)
        {
            SqliteDatabase.Execute(connection, "DELETE FROM floor_holders WHERE channel = $c", ("$c", (int)channel));
        }
        else
        {
            SqliteDatabase.Execute(connection, "INSERT OR REPLACE INTO floor_holders VALUES ($c, $b, $id, $t)",
                ("$c", (int)channel), ("$b", badgeId), ("$id", (long)burstId), ("$t", sinceMs));
        }
    }

    /// <summary>At service start: nobody holds a floor yet.</summary>
    public void ClearHolders()
    {
        using var connection = database.Open();
        SqliteDatabase.Execute(connection, "DELETE FROM floor_holders");
    }

    /// <summary>Writes badges' presence in one transaction.</summary>
    public void SetPresence(IReadOnlyCollection<PresenceRecord> presences)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        foreach (var presence in presences)
        {
            using var command = SqliteDatabase.Command(connection, "INSERT OR REPLACE INTO presence VALUES ($b, $s, $u, $t, $p, $r, $f)",
                ("$b", presence.BadgeId), ("$s", presence.State), ("$u", presence.UntilSeconds), ("$t", presence.LastSeenMs),
                ("$p", presence.BatteryPercent), ("$r", presence.Rssi), ("$f", presence.Firmware));
            command.Transaction = transaction;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public IReadOnlyList<FloorHolderRecord> Holders()
    {
        using var connection = database.Open();
        using var command = SqliteDatabase.Command(connection, "SELECT channel, badge_id, burst_id, since_ms FROM floor_holders ORDER BY channel");
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
        using var connection = database.Open();
        using var command = SqliteDatabase.Command(connection,
            "SELECT at_ms, channel, badge_id, decision, reason, burst_id FROM floor_decisions ORDER BY id DESC LIMIT $n", ("$n", count));
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
        using var connection = database.Open();
        using var command = SqliteDatabase.Command(connection, $"""
            SELECT at_ms, channel, badge_id, decision, reason, burst_id FROM floor_decisions
            WHERE at_ms >= $from AND at_ms <= $to AND ($badge IS NULL OR badge_id = $badge) {kind} {SqliteDatabase.ChannelFilter(query.Channels)}
            ORDER BY id DESC LIMIT $n OFFSET $skip
            """, ("$from", query.FromMs ?? long.MinValue), ("$to", query.ToMs ?? long.MaxValue), ("$badge", query.BadgeId),
            ("$n", query.Limit), ("$skip", query.Offset));
        return ReadDecisions(command);
    }

    private static List<FloorDecisionRecord> ReadDecisions(Microsoft.Data.Sqlite.SqliteCommand command)
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
        using var connection = database.Open();
        using var command = SqliteDatabase.Command(connection,
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
