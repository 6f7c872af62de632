using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.MatrixBridge;

namespace WalkieTalkie.Gateway.Cli;

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
            // waits for it). Recorded bursts wait in the feed until the bridge runs.
            var database = _host.Database;
            var player = new Engine.GatewayBadgePlayer(_host.Engine);
            _bridge = Task.Run(async () =>
            {
                try
                {
                    return await MatrixBridgeHost.StartAsync(database, matrix, gateway.DataDirectory, loggers, player, _stopping.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException || !_stopping.IsCancellationRequested)
                {
                    logger.LogError(e, "The Matrix bridge did not start; bursts wait in the recordings until it does");
                    return null;
                }
            }, CancellationToken.None);
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
            if (bridge is not null) await bridge.DisposeAsync();
        }

        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
