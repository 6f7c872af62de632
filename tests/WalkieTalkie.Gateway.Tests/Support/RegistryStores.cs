using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Sql;
using WalkieTalkie.Gateway.Transports;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>
/// The registry's stores over one database of one provider: what the store contract tests run against, once per
/// provider (<see cref="SqliteRegistryStores"/>, <see cref="Postgres.PostgresRegistryStores"/>).
/// </summary>
public abstract class RegistryStores : IDisposable
{
    protected RegistryStores()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("wt-stores-").FullName;
    }

    /// <summary>A temporary folder for what is not in the database (the site key).</summary>
    public string Directory { get; }

    /// <summary>Badge secrets hashed with a site key in <see cref="Directory"/>.</summary>
    public SecretHasher Hasher => new(SiteKey.LoadOrCreate(Directory));

    /// <summary>The database itself, for the stores every provider shares (<c>Storage/Sql</c>).</summary>
    public abstract SqlDatabase Tables { get; }

    public abstract IBadgeStore Badges { get; }

    public abstract IChannelStore Channels { get; }

    public abstract IPermitStore Permits { get; }

    public abstract IRegistryReader Reader { get; }

    /// <summary>A second gateway's (or a restarted one's) burst-id reservations on the same database.</summary>
    public abstract IBurstIdReservations OpenBurstIds();

    /// <summary>Every file the provider keeps the registry in, with what it wrote so far flushed to them.</summary>
    public abstract IEnumerable<string> StoredFiles();

    public RegistrySnapshot Snapshot() => Reader.Load();

    /// <summary>The login check over this database as it is at each read, with the default throttle.</summary>
    public BadgeAuthenticator Authenticator(TimeProvider? time = null) => new(LiveRegistry, Hasher, Badges,
        new LoginThrottle(Options.Create(new LimitOptions()), time ?? TimeProvider.System), NullLogger<BadgeAuthenticator>.Instance);

    /// <summary>The registry as it is at each read.</summary>
    public IRegistryView LiveRegistry => new LiveView(this);

    private sealed class LiveView(RegistryStores owner) : IRegistryView
    {
        public RegistrySnapshot Snapshot => owner.Snapshot();
    }

    public virtual void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, true);
        }
        catch (IOException)
        {
        }
    }
}
