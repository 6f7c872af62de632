using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WalkieTalkie.Gateway.Cli;

/// <summary>The gateway as a hosted service: started with the host, stopped gracefully (bursts ended cleanly) with it.</summary>
public sealed class GatewayService(IConfiguration configuration, ILoggerFactory loggers) : IHostedService
{
    private GatewayHost? _host;
    private MatrixBridge.MatrixBridgeHost? _bridge;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var (gateway, mqtt, floor) = WalkieConfiguration.Bind(configuration);
        _host = await GatewayHost.StartAsync(gateway, mqtt, floor, loggers, cancellationToken: cancellationToken,
            http: WalkieConfiguration.BindHttp(configuration));
        loggers.CreateLogger<GatewayService>().LogInformation("Gateway running; data in {DataDirectory}, database {Database}",
            Path.GetFullPath(gateway.DataDirectory), _host.Database.Path);
        var matrix = MatrixLinkCommands.BindMatrix(configuration);
        if (matrix.IsConfigured)
            _bridge = await MatrixBridge.MatrixBridgeHost.StartAsync(_host.Database, matrix, gateway.DataDirectory, loggers, cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_bridge is not null)
        {
            await _bridge.DisposeAsync();
        }

        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
