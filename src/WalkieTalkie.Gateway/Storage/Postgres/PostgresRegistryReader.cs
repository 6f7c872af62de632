using System.Data;

namespace WalkieTalkie.Gateway.Storage.Postgres;

/// <summary>The registry read in one repeatable-read transaction, so a snapshot never mixes two versions.</summary>
public sealed class PostgresRegistryReader(PostgresDatabase database) : IRegistryReader
{
    public RegistrySnapshot Load()
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction(IsolationLevel.RepeatableRead);
        var version = PostgresDatabase.ReadConfigVersion(connection);
        var snapshot = new RegistrySnapshot(version, PostgresBadgeStore.ReadAll(connection), PostgresChannelStore.ReadAll(connection),
            PostgresChannelStore.ReadMemberships(connection), PostgresPermitStore.ReadAll(connection),
            PostgresQuietStore.ReadRules(connection), PostgresEmergencyStore.ReadAll(connection));
        transaction.Commit();
        return snapshot;
    }

    public long Version() => database.ConfigVersion();
}
