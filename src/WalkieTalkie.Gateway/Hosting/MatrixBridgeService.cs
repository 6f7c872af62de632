using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>
/// The Matrix bridge, when a homeserver is configured. It starts in the background: the badges talk to each other
/// whether or not the homeserver answers (a start that cannot reach it is tried again until it does), and finished
/// bursts wait in the recordings until the bridge runs. A badge or channel linked while the gateway runs (the registry's
/// version moves, <see cref="IRegistryChanges"/>) restarts the bridge with it: what waits is on disk (recordings,
/// outbox, incoming queue), so a restart loses nothing.
/// </summary>
public sealed class MatrixBridgeService(IOptions<MatrixBridgeOptions> matrix, IOptions<GatewayOptions> gateway, BridgeStores stores,
    GatewayEngine engine, IRegistryChanges registryChanges, RecordingReader recordings, ILoggerFactory loggers) : BackgroundService
{
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
        try
        {
            var version = -1L;
            while (true)
            {
                var started = ReadLinks(logger);
                _bridge = await BridgeStarter.StartWhenReachableAsync(
                    ct => MatrixBridgeHost.StartAsync(stores, options, gateway.Value.DataDirectory, loggers, new EngineBadgePlayer(engine), registryChanges,
                        recordings, ct),
                    TimeSpan.FromSeconds(options.HomeserverRetryMaxSeconds), logger, stoppingToken);
                BridgedLinks? now;
                do
                {
                    version = await registryChanges.WaitForChangeAsync(version, stoppingToken);
                    now = ReadLinks(logger);
                }
                while (now is null || now == started);

                logger.LogInformation("Matrix links changed (a badge or channel was linked, or a linked badge joined a channel): restarting the bridge");
                var running = _bridge;
                _bridge = null;
                if (running is not null)
                {
                    await running.DisposeAsync();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
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

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var running = _bridge;
        _bridge = null;
        if (running is not null)
        {
            await running.DisposeAsync();
        }
    }
}
