using WalkieTalkie.Gateway.Tests.Sites.Support;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Sites;

/// <summary>
/// A child's SOS never depends on which house talks: with Bert talking at house B, Anna's SOS at house A is granted at
/// once, Bert's burst ends at B as a local SOS would end it (Bert told he was preempted, his listeners the burst's end),
/// and, over the link, B's badges then hear Anna's SOS.
/// </summary>
[Collection(TwoSites.Collection)]
public sealed class SosAcrossSitesTests
{
    [Fact]
    public async Task Over_the_link_an_SOS_while_the_other_house_talks_is_granted_preempts_that_talker_and_is_heard_there()
    {
        await using var sites = await TwoSites.StartAsync(["anna", "carl"], ["bert", "dora"]);
        Assert.True(await sites.LinkedAsync(), "the sites did not link");
        var (anna, carl) = (await sites.A.ConnectAsync("anna"), await sites.A.ConnectAsync("carl"));
        var (bert, dora) = (await sites.B.ConnectAsync("bert"), await sites.B.ConnectAsync("dora"));

        // Bert talks at house B, and house A plays him.
        var bertGrant = Assert.IsType<FloorGranted>(await bert.RequestFloorAsync(TwoSites.Channel));
        await using var bertTalks = TalkingBadge.Start(bert, bertGrant);
        var bertAtA = await carl.WaitForAsync<BurstStart>(s => s.Talker == "Bert", timeoutMs: 10_000);

        var sos = await SosAsync(anna);

        var granted = Assert.IsType<FloorGranted>(sos);
        var bertRevoked = await bert.WaitForAsync<FloorRevoked>(r => r.BurstId == bertGrant.BurstId, timeoutMs: 10_000);
        Assert.Equal(EndReason.Preempted, bertRevoked.Reason);
        Assert.Equal(EndReason.Preempted, (await dora.WaitForAsync<BurstEnd>(e => e.BurstId == bertGrant.BurstId, timeoutMs: 10_000)).Reason);
        Assert.Equal(EndReason.Preempted, (await carl.WaitForAsync<BurstEnd>(e => e.BurstId == bertAtA.BurstId, timeoutMs: 10_000)).Reason);

        // Anna speaks: both houses hear her SOS, as an always-heard burst, to its end.
        await anna.TalkAsync(granted, 10, gapMs: 20);
        foreach (var badge in new[] { bert, dora, carl })
        {
            var start = await badge.WaitForAsync<BurstStart>(s => s.Talker == "Anna", timeoutMs: 10_000);
            Assert.True((start.Flags & BurstFlags.Priority) != 0, $"{badge.Id} was not told Anna's burst is always heard");
            await badge.WaitForAsync<BurstEnd>(e => e.BurstId == start.BurstId, timeoutMs: 10_000);
            Assert.NotEmpty(badge.FramesOf(start.BurstId));
        }

        Assert.False(anna.Has<FloorRevoked>(r => r.BurstId == granted.BurstId), "Anna's SOS was cut");
    }

    [Fact]
    public async Task With_the_link_cut_an_SOS_while_the_other_house_holds_the_room_is_granted_and_preempts_that_talker()
    {
        await using var sites = await TwoSites.StartAsync(["anna", "carl"], ["bert", "dora"]);
        Assert.True(await sites.LinkedAsync(), "the sites did not link");
        var anna = await sites.A.ConnectAsync("anna");
        var (bert, dora) = (await sites.B.ConnectAsync("bert"), await sites.B.ConnectAsync("dora"));
        sites.Network.Cut();
        Assert.True(await Eventually.TrueAsync(() => !TwoSites.LinksOf(sites.A).IsLinked("site-b") && !TwoSites.LinksOf(sites.B).IsLinked("site-a"), 20_000),
            "the sites still see each other");

        // Bert talks at house B; house A learns it from the room's floor event.
        var bertGrant = Assert.IsType<FloorGranted>(await bert.RequestFloorAsync(TwoSites.Channel));
        await using var bertTalks = TalkingBadge.Start(bert, bertGrant);
        Assert.True(await Eventually.TrueAsync(() => sites.A.Host.Engine.RoomFloor!.PeerHolder(sites.RoomId, []) is { GatewayId: "site-b" }, 20_000),
            "site A never saw Bert's claim in the room");

        var sos = await SosAsync(anna);

        var granted = Assert.IsType<FloorGranted>(sos);
        var bertRevoked = await bert.WaitForAsync<FloorRevoked>(r => r.BurstId == bertGrant.BurstId, timeoutMs: 20_000);
        Assert.Equal(EndReason.Preempted, bertRevoked.Reason);
        Assert.Equal(EndReason.Preempted, (await dora.WaitForAsync<BurstEnd>(e => e.BurstId == bertGrant.BurstId, timeoutMs: 10_000)).Reason);

        // While Anna's SOS holds the room, house B's badges are refused; Anna is never cut.
        Assert.Equal(DenyReason.Busy, Assert.IsType<FloorDenied>(await dora.RequestFloorAsync(TwoSites.Channel)).Reason);
        await anna.TalkAsync(granted, 10, gapMs: 20);
        Assert.False(anna.Has<FloorRevoked>(r => r.BurstId == granted.BurstId), "Anna's SOS was cut");
    }

    // The wearer holds the second button: the badge opens its emergency, then asks for the floor with the emergency flag.
    private static async Task<ControlMessage> SosAsync(TestBadge badge)
    {
        await badge.SendAsync(new Emergency { Open = true });
        await badge.WaitForAsync<EmergencyState>(s => s.Open && s.Badge == badge.Id, timeoutMs: 10_000);
        return await badge.RequestFloorAsync(TwoSites.Channel, emergency: true);
    }
}
