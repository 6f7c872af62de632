using System.Data;

namespace WalkieTalkie.Gateway.Storage.Sql;

/// <summary>The registry read in one repeatable-read transaction, so a snapshot never mixes two versions.</summary>
public class SqlRegistryReader(SqlDatabase database) : IRegistryReader
{
    public RegistrySnapshot Load()
    {
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction(IsolationLevel.RepeatableRead);
        var version = SqlDatabase.ReadConfigVersion(connection);
        var snapshot = new RegistrySnapshot(version, RegistryRows.Badges(connection), RegistryRows.Channels(connection),
            RegistryRows.Memberships(connection), RegistryRows.Permits(connection),
            RegistryRows.Quiet(connection), RegistryRows.Emergencies(connection));
        transaction.Commit();
        return snapshot;
    }

    public long Version() => database.ConfigVersion();
}
