using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Floor;
using WalkieTalkie.Gateway.Http;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Transports;
using WalkieTalkie.Gateway.Transports.Mqtt;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>
/// A running gateway started from options objects, for <c>walkie demo</c>, the tests and the bench: the same
/// application as <c>walkie run</c> (<see cref="GatewayApplication"/>), with its parts at hand.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private GatewayHost(WebApplication app) => _app = app;

    public IServiceProvider Services => _app.Services;

    public GatewayEngine Engine => Services.GetRequiredService<GatewayEngine>();

    /// <summary>The SQLite database (the default storage; not there when the gateway runs on PostgreSQL).</summary>
    public SqliteDatabase Database => Services.GetRequiredService<SqliteDatabase>();

    /// <summary>The first transport: the MQTT broker link, embedded or external.</summary>
    public IBadgeTransport Link => Services.GetRequiredService<CompositeBadgeLink>().Transports[0];

    /// <summary>The site certificate, when TLS is on (MQTT or HTTPS).</summary>
    public X509Certificate2? Certificate => Services.GetRequiredService<SiteTls>().Certificate;

    /// <summary>Starts a gateway; <paramref name="services"/> may add or replace services after the gateway's own.</summary>
    /// <param name="options">Where the gateway keeps its data, and its site settings.</param>
    /// <param name="mqtt">The broker: embedded or external, ports, TLS, limits.</param>
    /// <param name="floor">Floor rules: maximum talk time, lease, priority.</param>
    /// <param name="loggers">Where every decision is logged.</param>
    /// <param name="time">The clock; the system's when null.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <param name="http">The badge HTTP endpoint's settings; null runs without it.</param>
    /// <param name="services">Changes to the services (a test's transport, say).</param>
    /// <param name="limits">What a client may cost before it is refused or kept out; the defaults when null.</param>
    /// <param name="storage">Where the tables are; SQLite in the data folder when null.</param>
    public static async Task<GatewayHost> StartAsync(GatewayOptions options, MqttOptions mqtt, FloorOptions floor, ILoggerFactory loggers,
        TimeProvider? time = null, CancellationToken cancellationToken = default, HttpOptions? http = null,
        Action<IServiceCollection>? services = null, LimitOptions? limits = null, StorageOptions? storage = null)
    {
        var builder = GatewayApplication.CreateBuilder(b =>
        {
            b.Configuration.AddInMemoryCollection(OptionsSettings.From("Gateway", options)
                .Concat(OptionsSettings.From("Mqtt", mqtt))
                .Concat(OptionsSettings.From("Floor", floor))
                .Concat(OptionsSettings.From("Http", http ?? new HttpOptions { Port = 0, TlsPort = 0 }))
                .Concat(OptionsSettings.From("Limits", limits ?? new LimitOptions()))
                .Concat(OptionsSettings.From("Storage", storage ?? new StorageOptions())));
            b.Logging.ClearProviders();
            b.Services.AddSingleton(loggers);
            if (time is not null)
            {
                b.Services.AddSingleton(time);
            }

            services?.Invoke(b.Services);
        });
        var app = GatewayApplication.Build(builder);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new GatewayHost(app);
    }

    /// <summary>Ends bursts cleanly (recordings finished, talkers and listeners told), then stops the transports.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _app.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
