using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Gateway.Tests.Sites.Support;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Sites.Floor;

/// <summary>
/// An SOS takes the floor on the talker's other channels too (its mirrors). Where such a channel's room is shared with
/// another site, the mirror claims the room as an emergency before it is relayed, like the SOS itself: the other site's
/// talker there is preempted, not left talking over it.
/// </summary>
public class SosMirrorAcrossSitesTests
{
    private const string Home = "!home:example.org";
    private const string Family = "!family:example.org";

    [Fact]
    public async Task An_SOS_on_one_channel_preempts_the_other_sites_talker_on_the_wearers_other_shared_channel()
    {
        await using var network = new InMemorySiteNetwork { Delay = TimeSpan.FromMilliseconds(20) };
        await using var a = TestGateway.Create();
        a.AddBadge("anna");
        a.AddBadge("axel");
        a.AddChannel(1, 8000, "anna", "axel");
        a.AddChannel(2, 8000, "anna", "axel");
        var peersA = network.Join("gw-a", new Dictionary<byte, string> { [1] = Home, [2] = Family });
        a.Services = services => services.AddSingleton(peersA);
        await a.StartAsync(BrokerKind.InMemory);
        await using var b = TestGateway.Create();
        b.AddBadge("bert");
        b.AddBadge("bea");
        b.AddChannel(2, 8000, "bert", "bea");
        var peersB = network.Join("gw-b", new Dictionary<byte, string> { [2] = Family });
        b.Services = services => services.AddSingleton(peersB);
        await b.StartAsync(BrokerKind.InMemory);
        network.Connect("gw-a", "gw-b", Family);
        var anna = await a.ConnectAsync("anna");
        var (bert, bea) = (await b.ConnectAsync("bert"), await b.ConnectAsync("bea"));

        // Bert talks on the family channel at house B; house A knows his claim.
        var bertGrant = Assert.IsType<FloorGranted>(await bert.RequestFloorAsync(2));
        await using var bertTalks = TalkingBadge.Start(bert, bertGrant);
        Assert.True(await Eventually.TrueAsync(() => a.Host.Engine.SiteFloor!.RemoteHolder(Family) is { GatewayId: "gw-b" }, 10_000),
            "house A never learnt of Bert's claim");

        // Anna's SOS on her home channel: its mirror on the family channel claims that room as an emergency.
        await anna.SendAsync(new Emergency { Open = true });
        await anna.WaitForAsync<EmergencyState>(s => s.Open && s.Badge == "anna");
        var sos = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1, emergency: true));

        var revoked = await bert.WaitForAsync<FloorRevoked>(r => r.BurstId == bertGrant.BurstId, timeoutMs: 10_000);
        Assert.Equal(EndReason.Preempted, revoked.Reason);
        Assert.Equal(EndReason.Preempted, (await bea.WaitForAsync<BurstEnd>(e => e.BurstId == bertGrant.BurstId, timeoutMs: 10_000)).Reason);
        Assert.True(await Eventually.TrueAsync(() => b.Host.Engine.SiteFloor!.RemoteHolder(Family) is { GatewayId: "gw-a", Emergency: true }, 10_000),
            "house B does not hold the family room for Anna's SOS");

        // When Anna lets go, the mirror's claim is released with her burst: house B may talk again.
        await anna.TalkAsync(sos, 5, gapMs: 20);
        Assert.True(await Eventually.TrueAsync(() => b.Host.Engine.SiteFloor!.RemoteHolder(Family) is null, 10_000),
            "the mirror's claim outlived Anna's SOS");
        Assert.IsType<FloorGranted>(await bea.RequestFloorAsync(2));
    }
}
