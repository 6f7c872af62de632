using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Floor;
using WalkieTalkie.Gateway.Mqtt;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Registry;
using WalkieTalkie.Gateway.Time;

namespace WalkieTalkie.Gateway;

/// <summary>
/// The whole gateway put together: database, recovery of cut-short recordings, the MQTT link (embedded broker or
/// external client), the engine and its timers. The service (<c>walkie run</c>), <c>walkie demo</c>, the tests and
/// the bench all start it the same way.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly ILogger _logger;
    private bool _stopped;

    private GatewayHost(GatewayDatabase database, GatewayEngine engine, IBadgeLink link, ILogger logger)
    {
        Database = database;
        Engine = engine;
        Link = link;
        _logger = logger;
    }

    public GatewayDatabase Database { get; }

    public GatewayEngine Engine { get; }

    public IBadgeLink Link { get; }

    public static async Task<GatewayHost> StartAsync(GatewayOptions options, MqttOptions mqtt, FloorOptions floor, ILoggerFactory loggers,
        IClock? clock = null, CancellationToken cancellationToken = default)
    {
        clock ??= SystemClock.Instance;
        var logger = loggers.CreateLogger("WalkieTalkie.Gateway");
        var database = new GatewayDatabase(options.ResolveDatabasePath());
        var recovered = new RecordingRecovery(new RecordingStore(database), logger).Recover();
        if (recovered > 0)
        {
            logger.LogWarning("Recovered {Count} recordings cut short by an earlier stop", recovered);
        }

        var flood = new FloodGuard(mqtt, clock, loggers.CreateLogger("WalkieTalkie.Gateway.Mqtt"));
        GatewayEngine? engine = null;
        IBadgeLink link;
        if (mqtt.IsExternal)
        {
            link = new ExternalBrokerLink(mqtt, flood, loggers.CreateLogger("WalkieTalkie.Gateway.Mqtt"));
        }
        else
        {
            var certificate = mqtt.TlsPort > 0
                ? SiteCertificate.LoadOrCreate(mqtt.CertificatePath ?? Path.Combine(options.DataDirectory, "site-cert.pfx"), mqtt.CertificateHost)
                : null;
            var authenticator = new BadgeAuthenticator(() => engine!.Registry);
            link = new EmbeddedBrokerLink(mqtt, authenticator, flood, certificate, loggers.CreateLogger("WalkieTalkie.Gateway.Mqtt"));
        }

        engine = new GatewayEngine(database, options, floor, link, clock, loggers.CreateLogger("WalkieTalkie.Gateway.Engine"));
        var host = new GatewayHost(database, engine, link, logger);
        host._loops.Add(engine.RunAsync(host._stop.Token));
        await link.StartAsync(engine, cancellationToken);
        host._loops.Add(host.TickAsync());
        host._loops.Add(host.ReloadAsync(options.ReloadSeconds));
        return host;
    }

    private async Task TickAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Engine.Post(new TickEvent());
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Polls the registry's change counter, so CLI edits take effect while the service runs.</summary>
    private async Task ReloadAsync(double seconds)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds));
        var version = Engine.Registry.Version;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    var current = Database.ConfigVersion();
                    if (current != version)
                    {
                        var snapshot = RegistrySnapshot.Load(Database);
                        version = snapshot.Version;
                        Engine.Post(new ReloadEvent(snapshot));
                    }
                }
                catch (Microsoft.Data.Sqlite.SqliteException e)
                {
                    _logger.LogWarning("Registry reload failed, will retry: {Error}", e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Ends bursts cleanly (recordings finished, talkers and listeners told), then stops MQTT.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await Engine.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await Link.StopAsync();
        _stop.Cancel();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Link.DisposeAsync();
    }
}
