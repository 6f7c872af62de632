namespace WalkieTalkie.Gateway.Storage.Sql;

/// <summary>Open emergencies in the registry's <c>emergencies</c> table.</summary>
public class SqlEmergencyStore(SqlDatabase database) : IEmergencyStore
{
    public long Open(string badgeId, long atMs)
    {
        using var connection = database.Connect();
        using var exists = SqlDatabase.Command(connection, "SELECT COUNT(*) FROM badges WHERE id = @id", ("id", badgeId));
        if ((long)exists.ExecuteScalar()! == 0)
        {
            throw new RegistryException($"no badge '{badgeId}'");
        }

        SqlDatabase.Execute(connection, "INSERT INTO emergencies (badge_id, opened_at_ms) VALUES (@id, @at) ON CONFLICT DO NOTHING",
            ("id", badgeId), ("at", atMs));
        database.BumpConfigVersion(connection);
        return SqlDatabase.ReadConfigVersion(connection);
    }

    public void Close(string badgeId)
    {
        using var connection = database.Connect();
        using var delete = SqlDatabase.Command(connection, "DELETE FROM emergencies WHERE badge_id = @id", ("id", badgeId));
        if (delete.ExecuteNonQuery() == 0)
        {
            throw new RegistryException($"no open emergency of badge '{badgeId}'");
        }

        database.BumpConfigVersion(connection);
    }

    public IReadOnlyList<EmergencyRecord> List()
    {
        using var connection = database.Connect();
        return RegistryRows.Emergencies(connection);
    }
}
