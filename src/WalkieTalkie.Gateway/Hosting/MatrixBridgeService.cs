using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Sites;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>
/// The Matrix bridge, when a homeserver is configured. It starts in the background: the badges talk to each other
/// whether or not the homeserver answers (a start that cannot reach it is tried again until it does), and finished
/// bursts wait in the recordings until the bridge runs. A badge or channel linked while the gateway runs (the registry's
/// version moves, <see cref="IRegistryChanges"/>) restarts the bridge with it: what waits is on disk (recordings,
/// outbox, incoming queue), so a restart loses nothing. With several gateways on one database the bridge runs only
/// while this gateway holds the bridge's lease (<see cref="BridgeLease"/>), whoever owns the channels: it stops before
/// the lease runs out and starts again when it comes back.
/// </summary>
public sealed class MatrixBridgeService(IOptions<MatrixBridgeOptions> matrix, IOptions<GatewayOptions> gateway, BridgeStores stores,
    GatewayEngine engine, IRegistryChanges registryChanges, RecordingReader recordings, ILoggerFactory loggers, IServiceProvider services)
    : BackgroundService
{
    /// <summary>With several gateways on one database: how often the bridge looks for the bursts the others recorded.</summary>
    public static readonly TimeSpan LookForOtherGatewaysBursts = TimeSpan.FromSeconds(1);

    private volatile MatrixBridgeHost? _bridge;

    /// <summary>The running bridge, once started (another one after a restart).</summary>
    public MatrixBridgeHost? Bridge => _bridge;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = matrix.Value;
        if (!options.IsConfigured)
        {
            return;
        }

        var logger = loggers.CreateLogger<MatrixBridgeService>();
        var lease = new BridgeLease(services.GetRequiredService<ChannelOwnership>(), services.GetRequiredService<IChannelLeases>(),
            services.GetRequiredService<CurrentRegistry>(), services.GetRequiredService<TimeProvider>(), logger);
        var renewing = lease.RenewAsync(stoppingToken);
        try
        {
            var version = -1L;
            while (true)
            {
                await lease.WaitHeldAsync(stoppingToken);
                if (!lease.Alone)
                {
                    logger.LogInformation("This gateway holds the Matrix bridge's lease: starting the Matrix bridge");
                }

                using var held = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                // As the lease ends, a thread of its own halts the bridge's devices (MatrixBridgeHost.Halt) and then cancels
                // held, whatever the thread pool does. Closing them (below) may come later, harmlessly.
                var halt = new BridgeHalt();
                var watching = lease.CancelWhenEnding(held, halt.Halt);
                try
                {
                    version = await RunUntilLinksChangeAsync(options, version, lease.Alone ? null : LookForOtherGatewaysBursts, halt, logger, held.Token);
                    logger.LogInformation("Matrix links changed (a badge or channel was linked, or a linked badge joined a channel): restarting the bridge");
                }
                catch (OperationCanceledException) when (held.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("This gateway's lease of the Matrix bridge is running out: stopping the Matrix bridge before another gateway may take it");
                    var stopping = Stopwatch.StartNew();
                    await StopBridgeAsync(logger);
                    logger.LogInformation("Matrix bridge stopped in {Milliseconds} ms (the margin is {Margin} ms)", stopping.ElapsedMilliseconds,
                        BridgeLease.StopMargin.TotalMilliseconds);
                }
                finally
                {
                    await StopBridgeAsync(logger);
                    watching.Dispose();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await renewing;
    }

    // Starts the bridge and returns the registry's version once its links changed; cancelled when the lease runs out.
    private async Task<long> RunUntilLinksChangeAsync(MatrixBridgeOptions options, long version, TimeSpan? lookEvery, BridgeHalt halt, ILogger logger,
        CancellationToken held)
    {
        var links = ReadLinks(logger);
        _bridge = await BridgeStarter.StartWhenReachableAsync(
            ct => MatrixBridgeHost.StartAsync(stores, options, gateway.Value.DataDirectory, loggers, new EngineBadgePlayer(engine), registryChanges,
                recordings, ct, Sites(), lookEvery, services.GetService<EngineReportHandOver>(), halt),
            TimeSpan.FromSeconds(options.HomeserverRetryMaxSeconds), logger, held);
        while (true)
        {
            try
            {
                version = await registryChanges.WaitForChangeAsync(version, held);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database out of reach: the leases run out meanwhile and stop the bridge, or it comes back.
                logger.LogWarning("The Matrix bridge cannot read the registry's version: {Error}", e.Message);
                await Task.Delay(ChannelOwnership.RenewEvery, held);
                continue;
            }

            if (ReadLinks(logger) is { } now && now != links)
            {
                return version;
            }
        }
    }

    // A bridge stopped because the database is out of reach may fail to write on its way out: what it had not written
    // waits on disk and in the shared tables, and the gateway goes on.
    private async Task StopBridgeAsync(ILogger logger)
    {
        var running = _bridge;
        _bridge = null;
        if (running is null)
        {
            return;
        }

        try
        {
            await running.DisposeAsync();
        }
        catch (Exception e)
        {
            logger.LogWarning("The Matrix bridge did not stop cleanly: {Error}", e.Message);
        }
    }

    // A registry that cannot be read just now (a long write elsewhere) is read again at the next change.
    private BridgedLinks? ReadLinks(ILogger logger)
    {
        try
        {
            return BridgedLinks.Read(stores.Links);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("The Matrix links could not be read: {Error}", e.Message);
            return null;
        }
    }

    // With sites on, the bursts' voice messages name this gateway and those heard live from another site are not played again.
    private (string, IHeardLive)? Sites() =>
        services.GetRequiredService<IOptions<SiteOptions>>().Value.IsConfigured
            ? (services.GetRequiredService<GatewayIdentity>().Id, services.GetRequiredService<HeardLive>())
            : null;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await StopBridgeAsync(loggers.CreateLogger<MatrixBridgeService>());
    }
}
