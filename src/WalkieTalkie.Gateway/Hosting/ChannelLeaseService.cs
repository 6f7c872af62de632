using Microsoft.Extensions.Hosting;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>
/// Keeps this gateway's channel leases renewed (<see cref="ChannelOwnership"/>) for every channel of the registry, so
/// that the engine serves the channels it owns; at stop it lets them go, so another gateway takes them at once. Its
/// start takes the first round before the transports start (the hosted services start one after the other), so the
/// engine owns its channels before any badge is heard; it refuses to start when another process holds this gateway's
/// id. A gateway alone on its site has nothing to renew.
/// </summary>
public sealed class ChannelLeaseService(ChannelOwnership ownership, CurrentRegistry registry) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await ownership.StartAsync(Channels(), cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => ownership.RunAsync(Channels, stoppingToken);

    private byte[] Channels() => registry.Snapshot.Channels.Select(c => c.Number).ToArray();
}
