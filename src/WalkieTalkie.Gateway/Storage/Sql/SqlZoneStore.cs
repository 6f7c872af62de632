using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Storage.Sql;

/// <summary>Zones and badge locations in the gateway database.</summary>
public class SqlZoneStore(SqlDatabase database) : IZoneStore
{
    public void Add(string zone, IReadOnlyList<string> bssids)
    {
        if (string.IsNullOrWhiteSpace(zone) || zone.Length > 64)
        {
            throw new RegistryException($"'{zone}' is not a zone name (1-64 characters)");
        }

        if (bssids.Count == 0)
        {
            throw new RegistryException("a zone needs at least one access point (--ap aa:bb:cc:dd:ee:ff)");
        }

        var normalized = bssids.Select(Normalize).ToList();
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction();
        foreach (var bssid in normalized)
        {
            using var owner = SqlDatabase.Command(connection, "SELECT zone FROM zone_aps WHERE bssid = @b", ("b", bssid));
            owner.Transaction = transaction;
            if (owner.ExecuteScalar() is string other && other != zone)
            {
                throw new RegistryException($"access point {bssid} is in zone '{other}'");
            }

            using var insert = SqlDatabase.Command(connection, "INSERT INTO zone_aps (bssid, zone) VALUES (@b, @z) ON CONFLICT DO NOTHING",
                ("b", bssid), ("z", zone));
            insert.Transaction = transaction;
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public void Remove(string zone)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, "DELETE FROM zone_aps WHERE zone = @z", ("z", zone));
        if (command.ExecuteNonQuery() == 0)
        {
            throw new RegistryException($"no zone '{zone}'");
        }
    }

    public IReadOnlyList<ZoneAccessPoint> List()
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, "SELECT zone, bssid FROM zone_aps ORDER BY zone, bssid");
        using var reader = command.ExecuteReader();
        var list = new List<ZoneAccessPoint>();
        while (reader.Read())
        {
            list.Add(new ZoneAccessPoint(reader.GetString(0), reader.GetString(1)));
        }

        return list;
    }

    public void SetLocation(string badgeId, string bssid, int rssi, long atMs)
    {
        using var connection = database.Connect();
        SqlDatabase.Execute(connection,
            "INSERT INTO badge_locations (badge_id, bssid, rssi, at_ms) VALUES (@id, @b, @r, @at) " +
            "ON CONFLICT (badge_id) DO UPDATE SET bssid = @b, rssi = @r, at_ms = @at",
            ("id", badgeId), ("b", bssid), ("r", rssi), ("at", atMs));
    }

    public IReadOnlyList<BadgeLocation> Locations()
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection,
            "SELECT l.badge_id, l.bssid, COALESCE(z.zone, ''), l.rssi, l.at_ms FROM badge_locations l " +
            "LEFT JOIN zone_aps z ON z.bssid = l.bssid ORDER BY l.badge_id");
        using var reader = command.ExecuteReader();
        var list = new List<BadgeLocation>();
        while (reader.Read())
        {
            list.Add(new BadgeLocation(reader.GetString(0), reader.GetString(1), reader.GetString(2), (int)reader.GetInt64(3), reader.GetInt64(4)));
        }

        return list;
    }

    public void ClearLocations()
    {
        using var connection = database.Connect();
        SqlDatabase.Execute(connection, "DELETE FROM badge_locations");
    }

    private static string Normalize(string bssid)
    {
        var bytes = new byte[BssidFormat.Length];
        return BssidFormat.TryParse(bssid?.Trim() ?? "", bytes)
            ? BssidFormat.Format(bytes)
            : throw new RegistryException($"'{bssid}' is not a BSSID (six hex pairs, aa:bb:cc:dd:ee:ff)");
    }
}
