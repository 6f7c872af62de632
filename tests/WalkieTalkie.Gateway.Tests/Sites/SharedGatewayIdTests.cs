using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Gateway.Sites;
using WalkieTalkie.Gateway.Tests.Sites.Support;
using WalkieTalkie.Gateway.Tests.Support;

namespace WalkieTalkie.Gateway.Tests.Sites;

/// <summary>
/// Two houses whose gateways have the same id (grandma's gateway set up from a copy of the first one's data folder):
/// they overwrite each other's announcement in the room and can never link. Each says so, clearly and once.
/// </summary>
[Collection(TwoSites.Collection)]
public sealed class SharedGatewayIdTests
{
    [Fact]
    public async Task Two_gateways_with_one_id_each_log_a_clear_error_once()
    {
        await using var sites = await TwoSites.StartAsync(["anna"], ["bert"], configure: site =>
        {
            var services = site.Services;
            site.Services = s =>
            {
                services?.Invoke(s);
                s.Configure<SiteOptions>(o => o.GatewayId = "gw-copied");
            };
        });

        foreach (var site in new[] { sites.A, sites.B })
        {
            Assert.True(await Eventually.TrueAsync(() => site.Log.Contains("another gateway announces itself with this gateway's id gw-copied"), 20_000),
                "a gateway did not see the other announce its id");
        }

        await Task.Delay(1000); // several more passes of discovery (every 0.3 s), each finding the other's announcement again
        foreach (var site in new[] { sites.A, sites.B })
        {
            Assert.Equal(1, site.Log.Count("another gateway announces itself with this gateway's id gw-copied", sites.RoomId, "Sites:GatewayId"));
        }
    }
}
