using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Http;
using WalkieTalkie.Gateway.Sites.Discovery;
using WalkieTalkie.Gateway.Sites.FloorRecord;
using WalkieTalkie.Gateway.Sites.Link;

namespace WalkieTalkie.Gateway.Sites;

/// <summary>The sites' services (options, identity, discovery, links) and the link's endpoint.</summary>
public static class SiteServices
{
    /// <summary>The path of the live link on the gateway's HTTP listener.</summary>
    public const string LinkPath = "/sites/v1/link";

    public static IServiceCollection AddWalkieSites(this IServiceCollection services)
    {
        services.AddOptions<SiteOptions>().BindConfiguration("Sites").ValidateDataAnnotations()
            .Validate<IOptions<GatewayOptions>>((o, g) => !o.IsConfigured || IsEndpoint(o.Endpoint!, g.Value.Development),
                "Sites:Endpoint must be a wss:// URL (ws:// only in development)")
            .Validate<IOptions<HttpOptions>>((o, h) => !o.IsConfigured || !o.Endpoint!.StartsWith("wss://", StringComparison.Ordinal) || h.Value.TlsPort > 0,
                "Sites:Endpoint is wss://: the gateway needs Http:TlsPort for it")
            .ValidateOnStart();
        services.TryAddSingleton<GatewayIdentity>();
        services.TryAddSingleton<RoomGateways>();
        services.TryAddSingleton<ISiteMatrix, GranterSiteMatrix>();
        services.TryAddSingleton<SiteDiscovery>();
        services.TryAddSingleton<LinkRefusals>();
        services.TryAddSingleton<SiteLinks>();
        services.TryAddSingleton<SiteLinkAcceptor>();
        services.TryAddSingleton<SiteDialer>();
        services.TryAddSingleton<ISitePeers, LinkedSitePeers>();
        services.TryAddSingleton<RoomFloorPublisher>();
        services.TryAddSingleton<RoomFloorReader>();
        services.AddHostedService<SitesService>();
        return services;
    }

    /// <summary>Maps <see cref="LinkPath"/> when the sites are on.</summary>
    public static void MapSiteLinks(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<SiteOptions>>().Value.IsConfigured)
        {
            return;
        }

        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });
        app.Map(LinkPath, (HttpContext context, SiteLinkAcceptor acceptor) => acceptor.AcceptAsync(context));
    }

    private static bool IsEndpoint(string endpoint, bool development) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == "wss" || development && uri.Scheme == "ws");
}
