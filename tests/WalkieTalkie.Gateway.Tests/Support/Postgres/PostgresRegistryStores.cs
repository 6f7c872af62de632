using Npgsql;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Postgres;
using WalkieTalkie.Gateway.Storage.Sql;

namespace WalkieTalkie.Gateway.Tests.Support.Postgres;

/// <summary>The registry's stores over a test class's PostgreSQL database, emptied for this test.</summary>
public sealed class PostgresRegistryStores(PostgresClassDatabase classDatabase) : RegistryStores
{
    private readonly List<PostgresDatabase> _opened = [];

    public PostgresDatabase Database { get; } = classDatabase.Fresh();

    public override SqlDatabase Tables => Database;

    public override IBadgeStore Badges => new SqlBadgeStore(Database, Hasher);

    public override IChannelStore Channels => new SqlChannelStore(Database);

    public override IPermitStore Permits => new SqlPermitStore(Database);

    public override IRegistryReader Reader => new SqlRegistryReader(Database);

    public override IBurstIdReservations OpenBurstIds()
    {
        var database = classDatabase.Open();
        _opened.Add(database);
        return new SqlBurstIdReservations(database);
    }

    /// <summary>Every file of the server (all its databases and its write-ahead log), after a checkpoint wrote out what is in memory.</summary>
    public override IEnumerable<string> StoredFiles()
    {
        using (var connection = Database.Open())
        {
            using var command = new NpgsqlCommand("CHECKPOINT", connection);
            command.ExecuteNonQuery();
        }

        return System.IO.Directory.GetFiles(PostgresServer.Instance.DataDirectory, "*", SearchOption.AllDirectories);
    }

    public override void Dispose()
    {
        foreach (var database in _opened)
        {
            database.Dispose();
        }

        Database.Dispose();
        base.Dispose();
    }
}
