using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Badges;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Floor;
using WalkieTalkie.Gateway.Http;
using WalkieTalkie.Gateway.Logging;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Time;
using WalkieTalkie.Gateway.Transports.Mqtt;
using WalkieTalkie.Gateway.Transports;

namespace WalkieTalkie.Gateway.Hosting;

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

    private GatewayHost(SqliteDatabase database, GatewayEngine engine, IBadgeLink link, ILogger logger)
    {
        Database = database;
        Engine = engine;
        Link = link;
        _logger = logger;
    }

    public SqliteDatabase Database { get; }

    public GatewayEngine Engine { get; }

    public IBadgeLink Link { get; }

    /// <summary>The badge HTTP endpoint, when configured.</summary>
    public BadgeHttpServer? Http { get; private set; }

    /// <summary>The site certificate, when TLS is on (MQTT or HTTPS).</summary>
    public X509Certificate2? Certificate { get; private set; }

    /// <summary>Opens the store, starts the broker (or connects to the external one), the engine and the badge endpoint.</summary>
    /// <param name="options">Where the gateway keeps its data, and its site settings.</param>
    /// <param name="mqtt">The broker: embedded or external, ports, TLS, limits.</param>
    /// <param name="floor">Floor rules: maximum talk time, lease, priority.</param>
    /// <param name="loggers">Where every decision is logged.</param>
    /// <param name="clock">The time source; the system clock when null (tests pass a fake one).</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <param name="http">The badge HTTP endpoint's settings; null runs without it.</param>
    public static async Task<GatewayHost> StartAsync(GatewayOptions options, MqttOptions mqtt, FloorOptions floor, ILoggerFactory loggers,
        IClock? clock = null, CancellationToken cancellationToken = default, HttpOptions? http = null)
    {
        clock ??= SystemClock.Instance;
        var logger = loggers.CreateLogger("WalkieTalkie.Gateway");
        var database = new SqliteDatabase(options.ResolveDatabasePath());
        var recovered = new RecordingRecovery(new SqliteRecordingIndex(database), logger).Recover();
        if (recovered > 0)
        {
            logger.LogWarning("Recovered {Count} recordings cut short by an earlier stop", recovered);
        }

        var flood = new FloodGuard(mqtt, clock, loggers.CreateLogger("WalkieTalkie.Gateway.Mqtt"));
        var wantsTls = (!mqtt.IsExternal && mqtt.TlsPort > 0) || http is { TlsPort: > 0 };
        var certificate = wantsTls
            ? SiteCertificate.LoadOrCreate(mqtt.CertificatePath ?? Path.Combine(options.DataDirectory, "site-cert.pfx"), mqtt.CertificateHost)
            : null;
        GatewayEngine? engine = null;
        var authenticator = new BadgeAuthenticator(() => engine!.Registry);
        IBadgeLink link = mqtt.IsExternal
            ? new ExternalBrokerLink(mqtt, flood, loggers.CreateLogger("WalkieTalkie.Gateway.Mqtt"))
            : new EmbeddedBrokerLink(mqtt, authenticator, flood, certificate, loggers.CreateLogger("WalkieTalkie.Gateway.Mqtt"));

        engine = new GatewayEngine(database, options, floor, link, clock, loggers.CreateLogger("WalkieTalkie.Gateway.Engine"));
        var host = new GatewayHost(database, engine, link, logger) { Certificate = certificate };
        host._loops.Add(engine.RunAsync(host._stop.Token));
        await link.StartAsync(engine, cancellationToken);
        if (http is not null)
        {
            var httpLogger = loggers.CreateLogger("WalkieTalkie.Gateway.Http");
            var endpoint = new BadgeConfigEndpoint(engine, authenticator, options, clock, httpLogger);
            host.Http = await BadgeHttpServer.StartAsync(http, certificate, endpoint, httpLogger, cancellationToken);
        }

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
        if (Http is not null)
        {
            await Http.DisposeAsync();
        }

        try
        {
            await Engine.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // The engine is behind (a backlog of events): stop anyway; recovery at the next start finishes any recording.
            _logger.LogWarning("The engine did not finish its bursts within 10 s; stopping anyway");
        }
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
