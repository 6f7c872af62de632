using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.MatrixBridge.Linking;
using WalkieTalkie.Gateway.Sites;
using WalkieTalkie.Gateway.Sites.Discovery;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Gateway.Web;
using WalkieTalkie.TestHomeserver;

namespace WalkieTalkie.Tests.Shared;

/// <summary>
/// What makes a gateway one site of a room on the test homeserver, for the two-site tests and the <c>sites</c> bench:
/// a channel linked to the room with its granter's session (logged in before the gateway starts), its gateway id, its
/// site link on a plain loopback port (development), and the announcements read every 0.3 s, relinking within 1 s.
/// </summary>
public static class SiteOfRoom
{
    /// <summary>Links <paramref name="channelName"/> to the room as <paramref name="granter"/> and logs the granter in.</summary>
    public static async Task LinkChannelAsync(BridgeStores stores, MatrixBridgeOptions matrix, string directory, string channelName, string roomId,
        TestUser granter)
    {
        stores.Links.SaveChannel(channelName, roomId, granter.UserId);
        using var client = await GranterAccount.ConnectAsync(stores, matrix, directory, granter.UserId, granter.Password, register: false,
            NullLogger.Instance, CancellationToken.None);
        if (client is null)
        {
            throw new InvalidOperationException($"granter {granter.UserId} could not log in");
        }
    }

    /// <summary>
    /// The site's services: its id, its link announced at <paramref name="announcedPort"/> on loopback, the homeserver
    /// trusted for OpenID, and the homeserver reached through the granter's session (<see cref="GranterSiteMatrix"/>).
    /// </summary>
    public static void AddServices(IServiceCollection services, string gatewayId, int announcedPort, TestHomeserver.TestHomeserver homeserver,
        MatrixBridgeOptions matrix)
    {
        services.Configure<SiteOptions>(o =>
        {
            o.GatewayId = gatewayId;
            o.Endpoint = $"ws://127.0.0.1:{announcedPort}{SiteServices.LinkPath}";
            o.StateRereadSeconds = 0.3;
            o.ReconnectMaxSeconds = 1;
        });
        services.Configure<WebOptions>(o => o.MatrixServers[homeserver.ServerName] = homeserver.BaseUrl.ToString().TrimEnd('/'));
        services.AddSingleton<ISiteMatrix>(sp => new GranterSiteMatrix(sp.GetRequiredService<BridgeStores>(), sp.GetRequiredService<CurrentRegistry>(),
            Options.Create(matrix), sp.GetRequiredService<IOptions<GatewayOptions>>(), NullLogger<GranterSiteMatrix>.Instance));
    }
}
