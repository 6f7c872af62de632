using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Sites.Floor;

/// <summary>
/// Two and three gateways, each with its own badges on channel 1, sharing one Matrix room over in-memory live links.
/// The links are slow (300 ms) so that presses a few ms apart always cross, whatever the machine's load.
/// </summary>
public class SiteFloorEngineTests
{
    private const string Room = "!shared:example.org";

    [Fact]
    public async Task Presses_at_two_sites_within_20_ms_leave_one_winner_and_the_loser_hears_the_collision_tone()
    {
        await using var network = new InMemorySiteNetwork { Delay = TimeSpan.FromMilliseconds(300) };
        await using var a = await StartSiteAsync(network, "gw-a", "anna", "axel", TimeSpan.Zero);
        await using var b = await StartSiteAsync(network, "gw-b", "bert", "bea", TimeSpan.FromMilliseconds(15));
        network.Connect("gw-a", "gw-b", Room);
        var anna = await a.Gateway.ConnectAsync("anna");
        var axel = await a.Gateway.ConnectAsync("axel");
        var bert = await b.Gateway.ConnectAsync("bert");
        var bea = await b.Gateway.ConnectAsync("bea");

        var pressA = anna.RequestFloorAsync(1);
        await Task.Delay(10);
        var pressB = bert.RequestFloorAsync(1);
        var grantA = Assert.IsType<FloorGranted>(await pressA);
        var grantB = Assert.IsType<FloorGranted>(await pressB);

        Assert.True(await Eventually.TrueAsync(() => LostCollision(anna) || LostCollision(bert), 5000));
        await Task.Delay(700); // every message of the race delivered
        Assert.True(LostCollision(anna) ^ LostCollision(bert), "exactly one of the two loses");
        var (winner, winnerGrant, winnerSite, loser, loserSite, loserGrant) = LostCollision(bert)
            ? (anna, grantA, a, bert, b, grantB)
            : (bert, grantB, b, anna, a, grantA);
        Assert.False(winner.Has<FloorRevoked>());

        // The winner's claim is the earlier by the rule, at both sites.
        var winnerClaim = winnerSite.Arbiter().LocalHolder(Room)!;
        Assert.Equal(winnerClaim, loserSite.Arbiter().RemoteHolder(Room));
        Assert.Null(loserSite.Arbiter().LocalHolder(Room));

        // The loser's site ended its burst for its listener with the collision reason.
        var loserListener = loserSite == a ? axel : bea;
        var winnerListener = winnerSite == a ? axel : bea;
        await loserListener.WaitForAsync<BurstEnd>(e => e.BurstId == loserGrant.BurstId && e.Reason == EndReason.Collision);
        Assert.True(winnerListener.Has<BurstStart>(s => s.BurstId == winnerGrant.BurstId));
        Assert.False(winnerListener.Has<BurstEnd>(e => e.BurstId == winnerGrant.BurstId));

        // Every other badge at both sites finds the floor taken.
        Assert.Equal(DenyReason.Busy, Assert.IsType<FloorDenied>(await winnerListener.RequestFloorAsync(1)).Reason);
        Assert.Equal(DenyReason.Busy, Assert.IsType<FloorDenied>(await loserListener.RequestFloorAsync(1)).Reason);

        // Both floor logs show the collision, naming the winner.
        foreach (var site in new[] { a, b })
        {
            Assert.True(await Eventually.TrueAsync(() => site.Decisions().Any(d => d.Decision == "collision"
                && d.Reason.StartsWith($"{winnerClaim.GatewayId}/{winnerClaim.Talker} won over", StringComparison.Ordinal))), site.Id);
        }

        // When the winner lets go, the other site may talk again.
        await winner.TalkAsync(winnerGrant, 3);
        Assert.True(await Eventually.TrueAsync(() => loserSite.Arbiter().RemoteHolder(Room) is null, 5000));
        Assert.IsType<FloorGranted>(await loserListener.RequestFloorAsync(1));
    }

    [Fact]
    public async Task Presses_at_three_sites_leave_one_winner_that_every_site_agrees_on()
    {
        await using var network = new InMemorySiteNetwork { Delay = TimeSpan.FromMilliseconds(300) };
        await using var a = await StartSiteAsync(network, "gw-a", "anna", "axel", TimeSpan.Zero);
        await using var b = await StartSiteAsync(network, "gw-b", "bert", "bea", TimeSpan.FromMilliseconds(-8));
        await using var c = await StartSiteAsync(network, "gw-c", "carl", "cleo", TimeSpan.FromMilliseconds(5));
        network.Connect("gw-a", "gw-b", Room);
        network.Connect("gw-a", "gw-c", Room);
        network.Connect("gw-b", "gw-c", Room);
        var talkers = new[] { await a.Gateway.ConnectAsync("anna"), await b.Gateway.ConnectAsync("bert"), await c.Gateway.ConnectAsync("carl") };

        var presses = new List<Task<ControlMessage>>();
        foreach (var talker in talkers)
        {
            presses.Add(talker.RequestFloorAsync(1));
            await Task.Delay(5);
        }

        foreach (var press in presses)
        {
            Assert.IsType<FloorGranted>(await press);
        }

        Assert.True(await Eventually.TrueAsync(() => talkers.Count(LostCollision) == 2, 5000));
        await Task.Delay(700);
        Assert.Equal(2, talkers.Count(LostCollision));
        var sites = new[] { a, b, c };
        var winnerSite = Assert.Single(sites, s => s.Arbiter().LocalHolder(Room) is not null);
        var winnerClaim = winnerSite.Arbiter().LocalHolder(Room)!;
        Assert.All(sites.Where(s => s != winnerSite), s => Assert.Equal(winnerClaim, s.Arbiter().RemoteHolder(Room)));
    }

    [Fact]
    public async Task A_cut_link_leaves_each_site_talking_alone_and_on_reconnect_the_earlier_claim_keeps_the_floor()
    {
        await using var network = new InMemorySiteNetwork { Delay = TimeSpan.FromMilliseconds(20) };
        await using var a = await StartSiteAsync(network, "gw-a", "anna", "axel", TimeSpan.Zero);
        await using var b = await StartSiteAsync(network, "gw-b", "bert", "bea", TimeSpan.Zero);
        network.Connect("gw-a", "gw-b", Room);
        var anna = await a.Gateway.ConnectAsync("anna");
        var bert = await b.Gateway.ConnectAsync("bert");
        network.Cut("gw-a", "gw-b");

        var grantA = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await Task.Delay(50);
        Assert.IsType<FloorGranted>(await bert.RequestFloorAsync(1));
        var talking = anna.TalkAsync(grantA, 40, release: false, gapMs: 20);

        network.Connect("gw-a", "gw-b", Room);
        Assert.True(await Eventually.TrueAsync(() => LostCollision(bert), 5000));
        await talking;
        Assert.False(anna.Has<FloorRevoked>());
        Assert.Equal(a.Arbiter().LocalHolder(Room), b.Arbiter().RemoteHolder(Room));
    }

    private static bool LostCollision(TestBadge badge) => badge.Has<FloorRevoked>(r => r.Reason == EndReason.Collision);

    private static async Task<Site> StartSiteAsync(InMemorySiteNetwork network, string id, string talker, string listener, TimeSpan skew)
    {
        var gateway = TestGateway.Create();
        gateway.AddBadge(talker);
        gateway.AddBadge(listener);
        gateway.AddChannel(1, 8000, talker, listener);
        gateway.Time = new SkewedTimeProvider(skew);
        var peers = network.Join(id, new Dictionary<byte, string> { [1] = Room });
        gateway.Services = services => services.AddSingleton(peers);
        await gateway.StartAsync(BrokerKind.InMemory);
        return new Site(id, gateway);
    }

    private sealed record Site(string Id, TestGateway Gateway) : IAsyncDisposable
    {
        // Read from the test thread while the engine's loop runs: only after the race has settled.
        public WalkieTalkie.Gateway.Sites.Floor.SiteFloorArbiter Arbiter() => Gateway.Host.Engine.SiteFloor!;

        public IReadOnlyList<WalkieTalkie.Gateway.Storage.FloorDecisionRecord> Decisions() => new SqliteStatusStore(Gateway.Database).RecentDecisions(100);

        public ValueTask DisposeAsync() => Gateway.DisposeAsync();
    }
}
