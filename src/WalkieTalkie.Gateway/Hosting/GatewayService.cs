using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.MatrixBridge.Linking;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.Storage.Sqlite.Bridge;

using WalkieTalkie.Gateway.Cli;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>The gateway as a hosted service: started with the host, stopped gracefully (bursts ended cleanly) with it.</summary>
public sealed class GatewayService(IConfiguration configuration, ILoggerFactory loggers) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private GatewayHost? _host;
    private Task<MatrixBridgeHost?>? _bridge;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var (gateway, mqtt, floor) = WalkieConfiguration.Bind(configuration);
        _host = await GatewayHost.StartAsync(gateway, mqtt, floor, loggers, cancellationToken: cancellationToken,
            http: WalkieConfiguration.BindHttp(configuration));
        var logger = loggers.CreateLogger<GatewayService>();
        logger.LogInformation("Gateway running; data in {DataDirectory}, database {Database}",
            Path.GetFullPath(gateway.DataDirectory), _host.Database.Path);
        var matrix = MatrixLinkCommands.BindMatrix(configuration);
        if (matrix.IsConfigured)
        {
            // In the background: the badges talk to each other whether or not the homeserver answers (a device's start
            // waits for it, and is tried again until the homeserver answers). Recorded bursts wait in the feed until the
            // bridge runs.
            var database = _host.Database;
            var player = new MatrixBridge.Adapters.EngineBadgePlayer(_host.Engine);
            _bridge = Task.Run(() => BridgeStarter.StartWhenReachableAsync(
                ct => MatrixBridgeHost.StartAsync(database, matrix, gateway.DataDirectory, loggers, player, ct),
                TimeSpan.FromSeconds(matrix.HomeserverRetryMaxSeconds), logger, _stopping.Token), CancellationToken.None);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_bridge is not null)
        {
            MatrixBridgeHost? bridge = null;
            try { bridge = await _bridge; }
            catch (OperationCanceledException) { }
            if (bridge is not null)
            {
                await bridge.DisposeAsync();
            }
        }

        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
