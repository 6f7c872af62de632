using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Transports;

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

    /// <summary>Badge secrets hashed with a site key in the same directory.</summary>
    public SecretHasher Hasher => new(SiteKey.LoadOrCreate(Directory));

    public SqliteBadgeStore Badges => new(Database, Hasher);

    /// <summary>The login check over this database as it is at each read, with the default throttle.</summary>
    public BadgeAuthenticator Authenticator(TimeProvider? time = null) => new(LiveRegistry, Hasher, Badges,
        new LoginThrottle(Options.Create(new LimitOptions()), time ?? TimeProvider.System), NullLogger<BadgeAuthenticator>.Instance);

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
