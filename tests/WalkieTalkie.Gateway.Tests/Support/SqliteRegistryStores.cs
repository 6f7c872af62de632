using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Sql;
using WalkieTalkie.Gateway.Storage.Sqlite;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>The registry's stores over a SQLite file in the temporary folder.</summary>
public sealed class SqliteRegistryStores : RegistryStores
{
    public SqliteRegistryStores()
    {
        Database = new SqliteDatabase(Path.Combine(Directory, "walkie.db"));
    }

    public SqliteDatabase Database { get; }

    public override SqlDatabase Tables => Database;

    public override IBadgeStore Badges => new SqliteBadgeStore(Database, Hasher);

    public override IChannelStore Channels => new SqliteChannelStore(Database);

    public override IPermitStore Permits => new SqlitePermitStore(Database);

    public override IRegistryReader Reader => new SqliteRegistryReader(Database);

    public override IBurstIdReservations OpenBurstIds() => new SqliteBurstIdReservations(Database);

    /// <summary>The database file, its WAL and shared-memory files (pools cleared so nothing is held back).</summary>
    public override IEnumerable<string> StoredFiles()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return System.IO.Directory.GetFiles(Directory);
    }

    public override void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        base.Dispose();
    }
}
