using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Floor;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.MatrixBridge.Linking;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Transports.Mqtt;
using Permits = WalkieTalkie.Protocol.Control.Permits;

namespace WalkieTalkie.EndToEnd.Tests.Support;

/// <summary>
/// A gateway as its owner sets it up to bridge to Matrix, in a test folder: the registry (channels, badges that
/// joined them with known permits, granted and accepted), the store key, each badge linked to its own Matrix account
/// (<c>walkie badge link</c>), the channel linked to a room; then the gateway (embedded broker on a free loopback port, <see cref="FreePort"/>)
/// and its Matrix bridge, both stopped on dispose.
/// </summary>
public sealed class BridgedGateway : IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;

    private BridgedGateway(string dataDirectory, SqliteDatabase database, MatrixBridgeOptions matrix, ILoggerFactory loggers)
    {
        DataDirectory = dataDirectory;
        Database = database;
        Matrix = matrix;
        _loggers = loggers;
        _log = loggers.CreateLogger("test");
    }

    /// <summary>The gateway's data directory (<c>gateway</c> in the test folder).</summary>
    public string DataDirectory { get; }

    /// <summary>The registry, as the set-up commands write it (the running gateway opens its own).</summary>
    public SqliteDatabase Database { get; }

    /// <summary>The Matrix section: the test's timings, with the homeserver and the store key filled in.</summary>
    public MatrixBridgeOptions Matrix { get; }

    /// <summary>The embedded broker's port, once started.</summary>
    public int Port { get; private set; }

    public GatewayHost? Gateway { get; private set; }

    /// <summary>Applied to the gateway's bridge stores before each bridge start: a test may put a double in front of one
    /// (a store whose database goes away).</summary>
    public Func<BridgeStores, BridgeStores>? WrapStores { get; set; }

    /// <summary>The bridge of the moment: null while stopped (a test may stop and start it again).</summary>
    public MatrixBridgeHost? Bridge { get; private set; }

    /// <summary>
    /// An empty registry in <paramref name="folder"/>, a fresh store key, and <paramref name="matrix"/> (the test's
    /// timings) pointed at <paramref name="homeserver"/>.
    /// </summary>
    public static async Task<BridgedGateway> CreateAsync(TestFolder folder, Uri homeserver, MatrixBridgeOptions matrix, ILoggerFactory loggers,
        CancellationToken ct)
    {
        var data = folder.File("gateway");
        Directory.CreateDirectory(data);
        var database = new SqliteDatabase(Path.Combine(data, "walkie.db"));
        var keyFile = folder.File("store.key");
        await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), ct);
        return new BridgedGateway(data, database, matrix with { Homeserver = homeserver.ToString(), StoreKeyFile = keyFile }, loggers);
    }

    /// <summary><c>walkie channel add</c>.</summary>
    public void AddChannel(int number, string name, int sampleRate, int maxTalkSeconds) =>
        new SqliteChannelStore(Database).Add(number, name, sampleRate, maxTalkSeconds);

    /// <summary>A badge that joined <paramref name="channel"/> with the known permits, granted and accepted. Returns
    /// its MQTT password.</summary>
    public string AddBadge(string id, string name, int channel)
    {
        var secret = new SqliteBadgeStore(Database, new SecretHasher(SiteKey.LoadOrCreate(DataDirectory))).Add(id, name);
        new SqliteChannelStore(Database).Join(channel, id);
        new SqlitePermitStore(Database).Grant(id, channel, Permits.Known, null, "test", accepted: true);
        return secret;
    }

    /// <summary><c>walkie badge link {id} --user walkie-{id} --password {id}-badge-password --register</c>.</summary>
    public Task<BadgeLink> LinkBadgeAsync(string id, CancellationToken ct) =>
        BadgeLinker.LinkAsync(SqliteStores.Bridge(Database), Matrix, DataDirectory, id, $"walkie-{id}", $"{id}-badge-password", register: true, _log, ct);

    /// <summary>The channel's room, as <c>walkie channel link</c> stores it (without setting the room up).</summary>
    public void SaveChannelLink(string channel, string roomId, string granter) =>
        SqliteStores.Bridge(Database).Links.SaveChannel(channel, roomId, granter);

    /// <summary>Starts the gateway, then its bridge.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        Port = FreePort.Next();
        Gateway = await GatewayHost.StartAsync(new GatewayOptions { DataDirectory = DataDirectory, ReloadSeconds = 0.2, Development = true },
            new MqttOptions { BindAddress = "127.0.0.1", Port = Port, TlsPort = 0 }, new FloorOptions(), _loggers, cancellationToken: ct);
        await StartBridgeAsync(ct);
    }

    /// <summary>Starts the bridge on the running gateway (its state is all on disk) and keeps it as <see cref="Bridge"/>.</summary>
    public async Task<MatrixBridgeHost> StartBridgeAsync(CancellationToken ct)
    {
        var gateway = Gateway ?? throw new InvalidOperationException("the gateway is not started");
        var stores = gateway.Services.GetRequiredService<BridgeStores>();
        var bridge = await MatrixBridgeHost.StartAsync(WrapStores?.Invoke(stores) ?? stores, Matrix, DataDirectory, _loggers,
            new EngineBadgePlayer(gateway.Engine), gateway.Services.GetRequiredService<IRegistryChanges>(),
            gateway.Services.GetRequiredService<RecordingReader>(), ct);
        Bridge = bridge;
        return bridge;
    }

    /// <summary>Stops the bridge; the gateway keeps running.</summary>
    public async Task StopBridgeAsync()
    {
        var bridge = Bridge;
        Bridge = null;
        if (bridge is not null)
        {
            await bridge.DisposeAsync();
        }
    }

    /// <summary>Stops the bridge and the gateway, and starts both again on the same data (a new MQTT port).</summary>
    public async Task RestartAsync(CancellationToken ct)
    {
        await StopBridgeAsync();
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
            Gateway = null;
        }

        await StartAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await StopBridgeAsync();
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }
    }
}
