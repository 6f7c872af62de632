using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Sites.Discovery;
using WalkieTalkie.Gateway.Sites.FloorRecord;
using WalkieTalkie.Gateway.Sites.Link;

namespace WalkieTalkie.Gateway.Sites;

/// <summary>
/// Runs the sites when <see cref="SiteOptions.Endpoint"/> is set: the links hear the engine, then every
/// <see cref="SiteOptions.StateRereadSeconds"/> discovery announces and reads the rooms and the dialer follows what it
/// found; the floor events of the shared rooms are written and read (<see cref="RoomFloorPublisher"/>,
/// <see cref="RoomFloorReader"/>). At stop the links close (the other sites end this one's bursts and go on alone).
/// </summary>
public sealed class SitesService(IOptions<SiteOptions> options, IServiceProvider services, ILogger<SitesService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IsConfigured)
        {
            return; // a gateway without sites makes no gateway id and reads no room
        }

        var engine = services.GetRequiredService<GatewayEngine>();
        var links = services.GetRequiredService<SiteLinks>();
        var discovery = services.GetRequiredService<SiteDiscovery>();
        var dialer = services.GetRequiredService<SiteDialer>();

        links.Start(engine);
        using var observing = engine.Observers.Add(links);
        var floorPublisher = services.GetRequiredService<RoomFloorPublisher>();
        using var publishing = engine.Observers.Add(floorPublisher);
        var floorRecord = Task.WhenAll(floorPublisher.RunAsync(stoppingToken), services.GetRequiredService<RoomFloorReader>().RunAsync(engine, stoppingToken));
        logger.LogInformation("Sites: gateway {Gateway} links live at {Endpoint}", discovery.Own.GatewayId, discovery.Own.Endpoint);
        var every = TimeSpan.FromSeconds(options.Value.StateRereadSeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await discovery.RefreshAsync(stoppingToken);
                dialer.Update(stoppingToken);
                await Task.Delay(every, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            links.CloseAll();
            await dialer.StopAsync();
            await floorRecord;
        }
    }
}
