using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WalkieTalkie.Gateway.Floor;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Transports;
using WalkieTalkie.Gateway.Transports.Mqtt;

namespace WalkieTalkie.Gateway.Tests.Support;

public enum BrokerKind
{
    Embedded,
    Mosquitto,

    /// <summary>No broker: the gateway's in-memory transport (tests/Shared/InMemoryBadgeLink).</summary>
    InMemory,
}

/// <summary>
/// A gateway for a test: a fresh data directory, badges provisioned first (their secrets kept for the test badges),
/// then the broker (embedded, or a real Mosquitto with the gateway as its client) and the gateway on loopback.
/// </summary>
public sealed class TestGateway : IAsyncDisposable
{
    private readonly List<TestBadge> _badges = [];
    private MosquittoBroker? _mosquitto;

    private TestGateway(string directory, SqliteDatabase database)
    {
        Directory = directory;
        Database = database;
    }

    public string Directory { get; }

    public SqliteDatabase Database { get; }

    public Dictionary<string, string> Secrets { get; } = new();

    public ListLoggerProvider Log { get; } = new();

    public GatewayHost Host { get; private set; } = null!;

    public int BadgePort { get; private set; }

    // Plain MQTT on loopback (development mode) unless a test asks for TLS.
    public GatewayOptions Options { get; } = new() { ReloadSeconds = 0.2, Development = true };

    // A loaded CI host can stall a test badge's sending for over half a second, which a short lease would turn into a
    // lost floor in a test about something else; the test of the lease itself shortens it.
    public FloorOptions Floor { get; } = new() { LeaseSeconds = 3, FirstFrameGraceSeconds = 3, CoolDownSeconds = 2 };

    public MqttOptions Mqtt { get; } = new() { BindAddress = "127.0.0.1", TlsPort = 0 };

    /// <summary>What a client may cost before it is refused or kept out (the defaults).</summary>
    public LimitOptions Limits { get; } = new();

    /// <summary>The gateway's clock; the system's when null.</summary>
    public TimeProvider? Time { get; set; }

    /// <summary>Where the gateway keeps its tables; null (the default) is SQLite in <see cref="Database"/>.</summary>
    public StorageOptions? Storage { get; set; }

    /// <summary>Changes to the gateway's services after its own (a site link, a test's options or ports); none when null.</summary>
    public Action<IServiceCollection>? Services { get; set; }

    /// <summary>The badge HTTP endpoint's settings; null (the default) runs without it.</summary>
    public WalkieTalkie.Gateway.Http.HttpOptions? Http { get; set; }

    /// <summary>Creates the data directory and database; provision, then call <see cref="StartAsync"/>.</summary>
    public static TestGateway Create()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("wt-gateway-").FullName;
        var gateway = new TestGateway(directory, new SqliteDatabase(Path.Combine(directory, "walkie.db")));
        gateway.Options.DataDirectory = directory;
        return gateway;
    }

    /// <summary>Badge secrets hashed with the site key the gateway finds in its data directory.</summary>
    public SecretHasher Hasher => new(SiteKey.LoadOrCreate(Directory));

    public SqliteBadgeStore Badges => new(Database, Hasher);

    public SqliteChannelStore Channels => new(Database);

    public SqlitePermitStore Permits => new(Database);

    public WalkieTalkie.Gateway.Storage.Sqlite.Web.SqliteWebUserStore WebUsers => new(Database);

    /// <summary>Where the gateway's HTTP listener (badge API, web app) is, once started with <see cref="Http"/>.</summary>
    public int HttpPort => Http?.Port ?? 0;

    public void AddBadge(string id, bool priority = false) => Secrets[id] = Badges.Add(id, id[..1].ToUpperInvariant() + id[1..], priority);

    /// <summary>Adds badges to a channel, each with accepted receive and send permits.</summary>
    public void AddChannel(byte number, int rate, params string[] members)
    {
        Channels.Add(number, "ch" + number, rate, 30);
        foreach (var member in members)
        {
            Channels.Join(number, member);
            Permits.Grant(member, number, PermitBits.Known, null, "test", accepted: true);
        }
    }

    /// <summary>The Mosquitto this gateway started (<see cref="BrokerKind.Mosquitto"/>), for more gateways to share.</summary>
    public MosquittoBroker? Mosquitto => _mosquitto;

    /// <summary>
    /// Starts the gateway as a client of a Mosquitto another test gateway started (several gateways on one broker);
    /// <paramref name="services"/> may replace services (shared channel leases, say).
    /// </summary>
    public async Task<TestGateway> StartOnAsync(MosquittoBroker broker, Action<IServiceCollection>? services = null)
    {
        UseMosquitto(broker);
        Host = await GatewayHost.StartAsync(Options, Mqtt, Floor, Log, time: Time, http: Http, services: services, limits: Limits, storage: Storage);
        return this;
    }

    private void UseMosquitto(MosquittoBroker broker)
    {
        Mqtt.Mode = "External";
        Mqtt.ExternalHost = "127.0.0.1";
        Mqtt.ExternalPort = broker.Port;
        Mqtt.ExternalUserName = MosquittoBroker.GatewayUser;
        Mqtt.ExternalPassword = broker.GatewayPassword;
        BadgePort = broker.Port;
    }

    public async Task<TestGateway> StartAsync(BrokerKind broker = BrokerKind.Embedded, Action<IServiceCollection>? services = null)
    {
        if (broker == BrokerKind.Mosquitto)
        {
            _mosquitto = await MosquittoBroker.StartAsync(Secrets);
            UseMosquitto(_mosquitto);
        }
        else
        {
            Mqtt.Port = BadgePort = FreePort.Next();
        }

        Host = await GatewayHost.StartAsync(Options, Mqtt, Floor, Log, time: Time, http: Http, services: collection =>
            {
                if (broker == BrokerKind.InMemory)
                {
                    UseInMemory(collection);
                }

                services?.Invoke(collection);
                Services?.Invoke(collection);
            },
            limits: Limits, storage: Storage);
        if (broker == BrokerKind.InMemory)
        {
            Memory = Host.Services.GetRequiredService<InMemoryBadgeLink>();
        }

        return this;
    }

    /// <summary>
    /// Stops the embedded-broker gateway and starts it again on the same data folder and port, as a service restart
    /// does; <paramref name="whileStopped"/> runs in between.
    /// </summary>
    public async Task RestartAsync(Action? whileStopped = null)
    {
        await Host.DisposeAsync();
        whileStopped?.Invoke();
        Host = await GatewayHost.StartAsync(Options, Mqtt, Floor, Log, time: Time, http: Http, services: Services, limits: Limits, storage: Storage);
    }

    /// <summary>The in-memory transport, when the gateway runs on it.</summary>
    public InMemoryBadgeLink? Memory { get; private set; }

    private static void UseInMemory(IServiceCollection services)
    {
        services.RemoveAll<IBadgeTransport>();
        services.AddSingleton<InMemoryBadgeLink>();
        services.AddSingleton<IBadgeTransport>(sp => sp.GetRequiredService<InMemoryBadgeLink>());
    }

    /// <summary>Connects a test badge with its own secret and announces it idle (as a badge does on connect).</summary>
    public async Task<TestBadge> ConnectAsync(string id, bool announce = true)
    {
        var badge = Memory is not null ? TestBadge.ConnectInMemory(Memory, id, Secrets[id]) : await TestBadge.ConnectAsync(BadgePort, id, Secrets[id]);
        _badges.Add(badge);
        if (announce)
        {
            await badge.SendStateAsync(WalkieTalkie.Protocol.Control.BadgeStatus.Idle);
            await badge.WaitForAsync<WalkieTalkie.Protocol.Control.Config>();
        }

        return badge;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var badge in _badges)
        {
            await badge.DisposeAsync();
        }

        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (_mosquitto is not null)
        {
            await _mosquitto.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, true);
        }
        catch (IOException)
        {
        }
    }
}
