using Microsoft.Extensions.Hosting;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Transports;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>
/// The badges' transports, started once the engine knows the registry and stopped after the engine ended its bursts
/// (so that every floor-revoked and burst-end still goes out).
/// </summary>
public sealed class TransportService(IBadgeLink link, GatewayEngine engine) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => link.StartAsync(engine, cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await link.StopAsync();
        await link.DisposeAsync();
    }
}
