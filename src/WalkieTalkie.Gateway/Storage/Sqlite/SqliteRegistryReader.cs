namespace WalkieTalkie.Gateway.Storage.Sqlite;

/// <summary>The registry read in one transaction, so a snapshot never mixes two versions.</summary>
public sealed class SqliteRegistryReader(SqliteDatabase database) : IRegistryReader
{
    public RegistrySnapshot Load()
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        using var command = SqliteDatabase.Command(connection, "SELECT value FROM meta WHERE key = 'config_version'");
        command.Transaction = transaction;
        var version = (long)command.ExecuteScalar()!;
        return new RegistrySnapshot(version, RegistryRows.Badges(connection), RegistryRows.Channels(connection),
            RegistryRows.Memberships(connection), RegistryRows.Permits(connection),
            RegistryRows.Quiet(connection), RegistryRows.Emergencies(connection));
    }

    public long Version() => database.ConfigVersion();
}
