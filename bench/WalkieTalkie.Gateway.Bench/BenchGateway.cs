using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Floor;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Http;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Transports;
using WalkieTalkie.Gateway.Transports.Mqtt;

namespace WalkieTalkie.Gateway.Bench;

/// <summary>An embedded gateway in a temporary directory on a free loopback port, with badges provisioned.</summary>
public sealed class BenchGateway : IAsyncDisposable
{
    private readonly string _directory;
    private Func<Task<GatewayHost>> _start = null!;

    private BenchGateway(string directory, GatewayHost host, int port, Dictionary<string, string> secrets, X509Certificate2? trustAnchor)
    {
        _directory = directory;
        Host = host;
        Port = port;
        Secrets = secrets;
        TrustAnchor = trustAnchor;
    }

    public GatewayHost Host { get; private set; }

    public int Port { get; }

    public IReadOnlyDictionary<string, string> Secrets { get; }

    /// <summary>The web app's port when started with the console (0 otherwise).</summary>
    public int HttpPort { get; private init; }

    /// <summary>The name of channel 1, the one channel the bench provisions.</summary>
    public const string ChannelName = "bench";

    public const string ConsoleUser = "bench-admin";
    public const string ConsolePassword = "bench-admin-password";

    /// <summary>The site certificate badges must trust when <see cref="Port"/> is the TLS port (null for plain MQTT).</summary>
    public X509Certificate2? TrustAnchor { get; }

    /// <summary>
    /// Provisions <paramref name="badges"/> badges (members of <paramref name="channelMembers"/> join channel 1 at the
    /// given rate with accepted permits) and starts the gateway, plain MQTT on loopback (development mode). Secrets are
    /// stored as the gateway stores them (HMAC-SHA-256 with the site key), so connecting costs what it costs a site.
    /// A site of several (<paramref name="site"/>) also serves HTTP (its site link), is prepared on its database before it
    /// starts, and changes the gateway's services.
    /// </summary>
    public static async Task<BenchGateway> StartAsync(IReadOnlyList<string> badges, int sampleRate, int channelMembers, bool console = false, bool tls = false,
        int port = 0, int blocksPerFrame = 1, LimitOptions? limits = null, BenchSiteSetup? site = null)
    {
        var directory = Directory.CreateTempSubdirectory("wt-bench-").FullName;
        var database = new SqliteDatabase(Path.Combine(directory, "walkie.db"));
        var store = new SqliteBadgeStore(database, new SecretHasher(SiteKey.LoadOrCreate(directory)));
        var secrets = new Dictionary<string, string>();
        foreach (var id in badges)
        {
            secrets[id] = store.Add(id);
        }

        new SqliteChannelStore(database).Add(1, ChannelName, sampleRate, 600);
        foreach (var id in badges.Take(channelMembers))
        {
            new SqliteChannelStore(database).Join(1, id);
            new SqlitePermitStore(database).Grant(id, 1, PermitBits.Known, null, "bench", accepted: true);
        }

        if (console)
        {
            new WalkieTalkie.Gateway.Storage.Sqlite.Web.SqliteWebUserStore(database).Add(ConsoleUser, ConsolePassword, "admin");
        }

        if (site is not null)
        {
            await site.PrepareAsync(database, directory);
        }

        port = port > 0 ? port : FreePort();
        var http = console || site is not null ? new HttpOptions { BindAddress = "127.0.0.1", Port = site?.HttpPort ?? FreePort(), TlsPort = 0 } : null;
        var options = new GatewayOptions { DataDirectory = directory, Development = true, BlocksPerFrame = blocksPerFrame };
        var mqtt = new MqttOptions
        {
            BindAddress = "127.0.0.1", Port = tls ? 0 : port, TlsPort = tls ? port : 0, FloodMessagesPerSecond = 1000, FloodBurst = 1000,
        };
        // Every bench badge connects from loopback, many at once: one address with far more logins in flight than a site's.
        limits ??= new LimitOptions { UnauthenticatedPerAddress = 100_000 };
        var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        Task<GatewayHost> Start() => GatewayHost.StartAsync(options, mqtt, new FloorOptions(), loggers, http: http, limits: limits, services: site is null ? null : site.Services);
        var host = await Start();
        var anchor = tls
            ? X509CertificateLoader.LoadCertificate(SiteCertificate.LoadOrCreate(Path.Combine(directory, "site-cert.pfx"), mqtt.CertificateHost).RawData)
            : null;
        return new BenchGateway(directory, host, port, secrets, anchor) { HttpPort = http?.Port ?? 0, _start = Start };
    }

    /// <summary>Stops the gateway, as a service stop does (its data folder stays).</summary>
    public async Task StopAsync() => await Host.DisposeAsync();

    /// <summary>Starts it again on the same data folder and ports, as a service start does.</summary>
    public async Task StartAgainAsync() => Host = await _start();

    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, true);
        }
        catch (IOException)
        {
        }
    }
}
