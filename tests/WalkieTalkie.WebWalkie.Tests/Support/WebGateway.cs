using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Floor;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Http;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Storage.Sqlite.Web;
using WalkieTalkie.Gateway.Transports.Mqtt;
using WalkieTalkie.Gateway.Web;
using WalkieTalkie.Gateway.Tests.Support;

namespace WalkieTalkie.WebWalkie.Tests.Support;

/// <summary>
/// A gateway for a browser test: a fresh data folder, the registry set up first (channels, badges, web accounts,
/// permits), then the real application with its embedded broker for virtual badges and Kestrel serving the published
/// web walkie on loopback.
/// </summary>
public sealed class WebGateway : IAsyncDisposable
{
    private readonly SqliteDatabase _database;

    private WebGateway(string directory)
    {
        Directory = directory;
        _database = new SqliteDatabase(System.IO.Path.Combine(directory, "walkie.db"));
    }

    public string Directory { get; }

    public GatewayHost Host { get; private set; } = null!;

    public int MqttPort { get; } = FreePort.Next();

    public int HttpPort { get; } = FreePort.Next();

    public string Url => $"http://127.0.0.1:{HttpPort}/walkie/";

    public string Origin => $"http://127.0.0.1:{HttpPort}";

    public Dictionary<string, string> Secrets { get; } = new();

    public SqliteDatabase Database => _database;

    public SqliteChannelStore Channels => new(_database);

    public SqlitePermitStore Permits => new(_database);

    public SqliteBadgeStore Badges => new(_database, new SecretHasher(SiteKey.LoadOrCreate(Directory)));

    public SqliteWebUserStore WebUsers => new(_database);

    public SqliteRecordingIndex Recordings => new(_database);

    public static WebGateway Create() => new(System.IO.Directory.CreateTempSubdirectory("wt-web-").FullName);

    public void AddBadge(string id, bool priority = false) => Secrets[id] = Badges.Add(id, id[..1].ToUpperInvariant() + id[1..], priority);

    /// <summary>A channel with members, each with accepted receive and send permits.</summary>
    public void AddChannel(byte number, string name, int rate, params string[] members)
    {
        Channels.Add(number, name, rate, 30);
        foreach (var member in members)
        {
            Channels.Join(number, member);
            Permits.Grant(member, number, WalkieTalkie.Protocol.Control.Permits.Known, null, "test", accepted: true);
        }
    }

    public async Task<WebGateway> StartAsync(ILoggerFactory loggers, Action<WebOptions>? web = null, Action<IServiceCollection>? services = null)
    {
        Host = await GatewayHost.StartAsync(
            new GatewayOptions { DataDirectory = Directory, ReloadSeconds = 0.2, Development = true },
            new MqttOptions { BindAddress = "127.0.0.1", Port = MqttPort, TlsPort = 0 },
            new FloorOptions { LeaseSeconds = 3, FirstFrameGraceSeconds = 3, CoolDownSeconds = 1 },
            loggers,
            http: new HttpOptions { BindAddress = "127.0.0.1", Port = HttpPort, TlsPort = 0 },
            services: s =>
            {
                s.PostConfigure<WebOptions>(o =>
                {
                    o.ClientPath = PublishedClient.Path;
                    web?.Invoke(o);
                });
                services?.Invoke(s);
            });
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
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
