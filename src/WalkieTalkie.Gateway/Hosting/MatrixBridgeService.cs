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
/// bursts wait in the recordings until the bridge runs.
/// </summary>
public sealed class MatrixBridgeService(IOptions<MatrixBridgeOptions> matrix, IOptions<GatewayOptions> gateway, BridgeStores stores,
    GatewayEngine engine, IRegistryChanges registryChanges, RecordingReader recordings, ILoggerFactory loggers) : BackgroundService
{
    private MatrixBridgeHost? _bridge;

    /// <summary>The running bridge, once started.</summary>
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
            _bridge = await BridgeStarter.StartWhenReachableAsync(
                ct => MatrixBridgeHost.StartAsync(stores, options, gateway.Value.DataDirectory, loggers, new EngineBadgePlayer(engine), registryChanges, recordings,
                    ct),
                TimeSpan.FromSeconds(options.HomeserverRetryMaxSeconds), logger, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_bridge is not null)
        {
            await _bridge.DisposeAsync();
            _bridge = null;
        }
    }
}
