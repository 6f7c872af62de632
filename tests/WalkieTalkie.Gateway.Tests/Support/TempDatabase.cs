using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Sqlite;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>A gateway database in a fresh temporary directory, deleted afterwards.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("wt-db-").FullName;
        Database = new SqliteDatabase(Path.Combine(Directory, "walkie.db"));
    }

    public string Directory { get; }

    public SqliteDatabase Database { get; }

    /// <summary>Cheap hashing for tests; the hashing itself is tested at the default cost.</summary>
    public SqliteBadgeStore Badges => new(Database, hashIterations: 1000);

    public SqliteChannelStore Channels => new(Database);

    public SqlitePermitStore Permits => new(Database);

    public RegistrySnapshot Snapshot() => new SqliteRegistryReader(Database).Load();

    /// <summary>The registry as it is at each read.</summary>
    public IRegistryView LiveRegistry => new LiveView(this);

    private sealed class LiveView(TempDatabase owner) : IRegistryView
    {
        public RegistrySnapshot Snapshot => owner.Snapshot();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, true);
        }
        catch (IOException)
        {
        }
    }
}
