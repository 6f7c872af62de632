using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Sites;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Postgres;
using WalkieTalkie.Gateway.Storage.Sql;
using WalkieTalkie.Gateway.Storage.Sql.Web;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Web.Accounts;
using WalkieTalkie.Gateway.Web.Devices;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>
/// The stores, for the service and the CLI alike: the one place that says which database backs the ports (SQLite in
/// the data folder by default, or PostgreSQL: <see cref="StorageOptions"/>), and the storage worker the engine hands
/// its storage work to. Both databases are served by the same stores (<c>Storage/Sql</c>).
/// </summary>
public static class StorageServices
{
    /// <summary>The stores alone, for tools that change the registry without running the gateway (the CLI, <c>walkie demo</c>'s set-up).</summary>
    public static ServiceProvider Open(IEnumerable<KeyValuePair<string, string?>> settings) =>
        Open(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    /// <inheritdoc cref="Open(IEnumerable{KeyValuePair{string, string}})"/>
    public static ServiceProvider Open(IConfiguration configuration) =>
        new ServiceCollection().AddWalkieStorage(configuration).BuildServiceProvider();

    public static IServiceCollection AddWalkieStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>().BindConfiguration("Gateway").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.TryAddSingleton<StorageWorker>();
        services.AddOptions<StorageOptions>().BindConfiguration("Storage").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.ResolveDatabasePath()));
        services.TryAddSingleton(sp => OpenPostgres(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.TryAddSingleton<SqlDatabase>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.IsPostgres
            ? sp.GetRequiredService<PostgresDatabase>()
            : sp.GetRequiredService<SqliteDatabase>());
        services.TryAddSingleton(sp => new SecretHasher(SiteKey.LoadOrCreate(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.DataDirectory)));
        services.TryAddSingleton<IBadgeStore>(sp => new SqlBadgeStore(sp.GetRequiredService<SqlDatabase>(), sp.GetRequiredService<SecretHasher>()));
        services.TryAddSingleton<IChannelStore, SqlChannelStore>();
        services.TryAddSingleton<IPermitStore, SqlPermitStore>();
        services.TryAddSingleton<IRegistryReader, SqlRegistryReader>();
        services.TryAddSingleton<IQuietStore, SqlQuietStore>();
        services.TryAddSingleton<IAuditStore, SqlAuditStore>();
        services.TryAddSingleton<IZoneStore, SqlZoneStore>();
        services.TryAddSingleton<IEmergencyStore, SqlEmergencyStore>();
        services.TryAddSingleton<ILastTalkerStore, SqlLastTalkerStore>();
        // On PostgreSQL the other gateways' and the CLI's changes are pushed; alone on SQLite they are polled.
        services.TryAddSingleton<IStoreNotifications>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.IsPostgres
            ? new PostgresNotifications(sp.GetRequiredService<PostgresDatabase>(), sp.GetRequiredService<ILogger<PostgresNotifications>>())
            : new NoStoreNotifications());
        services.TryAddSingleton<IRegistryChanges, SqlRegistryChanges>();
        services.TryAddSingleton<IRecordingIndex, SqlRecordingIndex>();
        services.TryAddSingleton<IUnplayedStore, SqlUnplayedStore>();
        services.TryAddSingleton<IStatusStore, SqlStatusStore>();
        services.TryAddSingleton<IBurstIdReservations, SqlBurstIdReservations>();
        services.TryAddSingleton<BurstIdBlocks>();
        // Gateways sharing PostgreSQL lease each channel in the name of their id; alone on SQLite, one serves every channel.
        services.TryAddSingleton<IChannelLeases>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.IsPostgres
            ? new PostgresChannelLeases(sp.GetRequiredService<PostgresDatabase>(), sp.GetRequiredService<GatewayIdentity>().Id)
            : new SingleGatewayLeases());
        services.TryAddSingleton<IBurstIdSource>(sp => sp.GetRequiredService<BurstIdBlocks>());
        services.TryAddSingleton(sp =>
        {
            // Sealed with the site's store key when there is one (the Matrix key store's): see RecordingKeyFile.
            var gateway = sp.GetRequiredService<IOptions<GatewayOptions>>().Value;
            return RecordingKeyFile.OpenAt(gateway.ResolveRecordingKeyFile(), gateway.ResolveRecordingsDirectory(), configuration["Matrix:StoreKeyFile"],
                sp.GetRequiredService<ILogger<RecordingKey>>());
        });
        services.TryAddSingleton<RecordingReader>();
        services.TryAddSingleton<IRecordingRetention, SqlRecordingRetention>();
        services.TryAddSingleton<RecordingRetention>();
        services.TryAddSingleton(sp => new QueuedMessageFiles(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.ResolveRecordingsDirectory(),
            sp.GetRequiredService<RecordingKey>(), sp.GetRequiredService<RecordingReader>()));
        services.TryAddSingleton<IWebUserStore, SqlWebUserStore>();
        services.TryAddSingleton<IWebDeviceStore, SqlWebDeviceStore>();
        services.TryAddSingleton(sp => SqlStores.Bridge(sp.GetRequiredService<SqlDatabase>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>Opens (and completes the tables of) the PostgreSQL database, or says plainly which one could not be opened and why.</summary>
    private static PostgresDatabase OpenPostgres(StorageOptions options)
    {
        try
        {
            return new PostgresDatabase(options.ConnectionString!);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or ArgumentException or TimeoutException or InvalidOperationException)
        {
            throw new StorageUnavailableException($"the PostgreSQL database ({PostgresDatabase.Describe(options.ConnectionString!)}) could not be opened: {e.Message}", e);
        }
    }
}
