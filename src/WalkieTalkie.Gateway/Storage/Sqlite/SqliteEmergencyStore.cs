namespace WalkieTalkie.Gateway.Storage.Sqlite;

/// <summary>Open emergencies in the registry's <c>emergencies</c> table.</summary>
public sealed class SqliteEmergencyStore(SqliteDatabase database) : IEmergencyStore
{
    public long Open(string badgeId, long atMs)
    {
        using var connection = database.Open();
        using var exists = SqliteDatabase.Command(connection, "SELECT COUNT(*) FROM badges WHERE id = $id", ("$id", badgeId));
        if ((long)exists.ExecuteScalar()! == 0)
        {
            throw new RegistryException($"no badge '{badgeId}'");
        }

        SqliteDatabase.Execute(connection, "INSERT OR IGNORE INTO emergencies (badge_id, opened_at_ms) VALUES ($id, $at)",
            ("$id", badgeId), ("$at", atMs));
        database.BumpConfigVersion(connection);
        using var version = SqliteDatabase.Command(connection, "SELECT value FROM meta WHERE key = 'config_version'");
        return (long)version.ExecuteScalar()!;
    }

    public void Close(string badgeId)
    {
        using var connection = database.Open();
        using var delete = SqliteDatabase.Command(connection, "DELETE FROM emergencies WHERE badge_id = $id", ("$id", badgeId));
        if (delete.ExecuteNonQuery() == 0)
        {
            throw new RegistryException($"no open emergency of badge '{badgeId}'");
        }

        database.BumpConfigVersion(connection);
    }

    public IReadOnlyList<EmergencyRecord> List()
    {
        using var connection = database.Open();
        return RegistryRows.Emergencies(connection);
    }
}
