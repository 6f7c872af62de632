namespace WalkieTalkie.Gateway.Storage.Postgres;

/// <summary>Open emergencies in PostgreSQL's <c>emergencies</c> table.</summary>
public sealed class PostgresEmergencyStore(PostgresDatabase database) : IEmergencyStore
{
    public long Open(string badgeId, long atMs)
    {
        using var connection = database.Open();
        using var exists = PostgresDatabase.Command(connection, "SELECT COUNT(*) FROM badges WHERE id = @id", ("id", badgeId));
        if ((long)exists.ExecuteScalar()! == 0)
        {
            throw new RegistryException($"no badge '{badgeId}'");
        }

        PostgresDatabase.Execute(connection, "INSERT INTO emergencies (badge_id, opened_at_ms) VALUES (@id, @at) ON CONFLICT DO NOTHING",
            ("id", badgeId), ("at", atMs));
        database.BumpConfigVersion(connection);
        return PostgresDatabase.ReadConfigVersion(connection);
    }

    public void Close(string badgeId)
    {
        using var connection = database.Open();
        using var delete = PostgresDatabase.Command(connection, "DELETE FROM emergencies WHERE badge_id = @id", ("id", badgeId));
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
