using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Storage.Sqlite.Web;
using WalkieTalkie.Gateway.Web.Accounts;
using WalkieTalkie.Gateway.Web.Devices;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>
/// The stores, for the service and the CLI alike: the one place that says which implementation backs each port
/// (SQLite in the data folder, today), and the storage worker the engine hands its storage work to.
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
        services.TryAddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.ResolveDatabasePath()));
        services.TryAddSingleton(sp => new SecretHasher(SiteKey.LoadOrCreate(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.DataDirectory)));
        services.TryAddSingleton<IBadgeStore>(sp => new SqliteBadgeStore(sp.GetRequiredService<SqliteDatabase>(), sp.GetRequiredService<SecretHasher>()));
        services.TryAddSingleton<IChannelStore, SqliteChannelStore>();
        services.TryAddSingleton<IPermitStore, SqlitePermitStore>();
        services.TryAddSingleton<IRegistryReader, SqliteRegistryReader>();
        services.TryAddSingleton<IQuietStore, SqliteQuietStore>();
        services.TryAddSingleton<IAuditStore, SqliteAuditStore>();
        services.TryAddSingleton<IZoneStore, SqliteZoneStore>();
        services.TryAddSingleton<IEmergencyStore, SqliteEmergencyStore>();
        services.TryAddSingleton<ILastTalkerStore, SqliteLastTalkerStore>();
        services.TryAddSingleton<IRegistryChanges, SqliteRegistryChanges>();
        services.TryAddSingleton<IRecordingIndex, SqliteRecordingIndex>();
        services.TryAddSingleton<IUnplayedStore, SqliteUnplayedStore>();
        services.TryAddSingleton<IStatusStore, SqliteStatusStore>();
        services.TryAddSingleton<IBurstIdReservations, SqliteBurstIdReservations>();
        services.TryAddSingleton<BurstIdBlocks>();
        services.TryAddSingleton<IChannelLeases, SingleGatewayLeases>(); // one gateway on SQLite serves every channel
        services.TryAddSingleton<IBurstIdSource>(sp => sp.GetRequiredService<BurstIdBlocks>());
        services.TryAddSingleton(sp =>
        {
            // Sealed with the site's store key when there is one (the Matrix key store's): see RecordingKeyFile.
            var gateway = sp.GetRequiredService<IOptions<GatewayOptions>>().Value;
            return RecordingKeyFile.Open(gateway.DataDirectory, gateway.ResolveRecordingsDirectory(), configuration["Matrix:StoreKeyFile"],
                sp.GetRequiredService<ILogger<RecordingKey>>());
        });
        services.TryAddSingleton<RecordingReader>();
        services.TryAddSingleton<IRecordingRetention, SqliteRecordingRetention>();
        services.TryAddSingleton<RecordingRetention>();
        services.TryAddSingleton(sp => new QueuedMessageFiles(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.ResolveRecordingsDirectory(),
            sp.GetRequiredService<RecordingKey>(), sp.GetRequiredService<RecordingReader>()));
        services.TryAddSingleton<IWebUserStore, SqliteWebUserStore>();
        services.TryAddSingleton<IWebDeviceStore, SqliteWebDeviceStore>();
        services.TryAddSingleton(sp => SqliteStores.Bridge(sp.GetRequiredService<SqliteDatabase>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
