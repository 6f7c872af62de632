using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using WalkieTalkie.Gateway.Sites.Floor;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Sites.Support;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Sites;

/// <summary>
/// The floor in the room (<c>org.matrix.msc4002.floor</c>): with the network between the houses cut and the homeserver
/// still reachable, crossing presses are decided by the claims in the room, the same way at both houses; a room served
/// by one gateway alone gets no floor event at all.
/// </summary>
[Collection(TwoSites.Collection)]
public sealed class FloorInTheRoomTests(ITestOutputHelper output)
{
    private const int MaxRaces = 12; // the loop ends at the first crossing; most take one or two

    [Fact]
    public async Task With_the_link_cut_presses_at_both_houses_within_20_ms_are_decided_by_the_room_at_both()
    {
        await using var sites = await TwoSites.StartAsync(["anna", "carl"], ["bert", "dora"]);
        Assert.True(await sites.LinkedAsync(), "the sites did not link");
        var (anna, carl) = (await sites.A.ConnectAsync("anna"), await sites.A.ConnectAsync("carl"));
        var (bert, dora) = (await sites.B.ConnectAsync("bert"), await sites.B.ConnectAsync("dora"));
        sites.Network.Cut();
        Assert.True(await Eventually.TrueAsync(() => !TwoSites.LinksOf(sites.A).IsLinked("site-b") && !TwoSites.LinksOf(sites.B).IsLinked("site-a"), 20_000),
            "the sites still see each other");
        // The houses' claims reach each other through the homeserver a moment after they are made, as over federation:
        // presses a few milliseconds apart cross. One may still come after the other house's claim reached it (then it
        // is busy, for example when a busy machine delays the second press): presses go on until two crossed.
        sites.Homeserver.SyncLag = TimeSpan.FromMilliseconds(300);
        var random = new Random(3);

        var crossed = false;
        for (var race = 0; race < MaxRaces && !crossed; race++)
        {
            var marks = new[] { anna, bert, carl, dora }.ToDictionary(b => b, b => b.Control.Count);
            var offset = random.Next(0, 21);
            var (first, second) = random.Next(2) == 0 ? (anna, bert) : (bert, anna);
            var firstAnswer = first.RequestFloorAsync(TwoSites.Channel);
            await Task.Delay(offset);
            var answers = new Dictionary<TestBadge, ControlMessage> { [second] = await second.RequestFloorAsync(TwoSites.Channel), [first] = await firstAnswer };

            bool Revoked(TestBadge badge) => answers[badge] is FloorGranted g
                && badge.Control.Skip(marks[badge]).OfType<FloorRevoked>().Any(r => r.BurstId == g.BurstId);
            TestBadge[] Holding() => answers.Keys.Where(b => answers[b] is FloorGranted && !Revoked(b)).ToArray();
            Assert.True(await Eventually.TrueAsync(() => Holding().Length == 1, 10_000), $"race {race}: the presses did not settle on one talker");
            var winner = Holding()[0];
            var loser = winner == anna ? bert : anna;
            var (winnerSite, loserSite) = winner == anna ? (sites.A, sites.B) : (sites.B, sites.A);
            var grant = (FloorGranted)answers[winner];
            output.WriteLine($"race {race}: {first.Id} then {second.Id} {offset} ms later: {winner.Id} talks, {loser.Id} {(answers[loser] is FloorGranted ? "granted then revoked" : "denied")}");

            if (answers[loser] is FloorGranted lost)
            {
                crossed = true;
                // The loser hears the collision tone, its house's listener hears its burst end for the collision.
                var revoked = loser.Control.Skip(marks[loser]).OfType<FloorRevoked>().Single(r => r.BurstId == lost.BurstId);
                Assert.Equal(EndReason.Collision, revoked.Reason);
                var loserListener = loser == anna ? carl : dora;
                await loserListener.WaitForAsync<BurstEnd>(e => e.BurstId == lost.BurstId && e.Reason == EndReason.Collision, 10_000, marks[loserListener]);

                // The room's order decided it: the winner's claim is the earlier by origin_server_ts, then event id.
                var winnerClaim = Claim(sites, winnerSite == sites.A ? "site-a" : "site-b", grant.BurstId);
                var loserClaim = Claim(sites, loserSite == sites.A ? "site-a" : "site-b", lost.BurstId);
                Assert.True(winnerClaim.Beats(loserClaim), $"{winnerClaim} should not have beaten {loserClaim}");

                // Both floor logs show the collision, naming the winner first.
                var winnerKey = (winnerSite == sites.A ? "site-a/" : "site-b/") + winner.Id;
                foreach (var site in new[] { sites.A, sites.B })
                {
                    Assert.True(await Eventually.TrueAsync(() => new SqliteStatusStore(site.Database).RecentDecisions(100).Any(d => d.Decision == "collision"
                        && d.Reason.StartsWith(winnerKey + " won over", StringComparison.Ordinal) && d.Reason.Contains("room's floor events", StringComparison.Ordinal)), 10_000),
                        $"the floor log of {(site == sites.A ? "site A" : "site B")} does not show the collision");
                }

                // While the winner's claim holds the room, the loser's house refuses its badges as busy.
                var neighbour = loser == anna ? carl : dora;
                Assert.Equal(DenyReason.Busy, Assert.IsType<FloorDenied>(await neighbour.RequestFloorAsync(TwoSites.Channel)).Reason);
            }
            else
            {
                Assert.Equal(DenyReason.Busy, Assert.IsType<FloorDenied>(answers[loser]).Reason);
            }

            // The winner is never cut: it talks on to its end.
            await winner.TalkAsync(grant, 15, gapMs: 20);
            Assert.False(winner.Has<FloorRevoked>(r => r.BurstId == grant.BurstId), $"race {race}: the winner was cut");
            Assert.True(await Eventually.TrueAsync(() => FloorEvents(sites).Any(e => Is(e, winnerSite == sites.A ? "site-a" : "site-b", grant.BurstId, released: true)), 10_000),
                "the winner's release did not reach the room");
        }

        Assert.True(crossed, $"no two presses of {MaxRaces} crossed");

        // Linked again, the link's own report of bursts that overlapped while apart does not log the crossing a second time.
        sites.Network.Restore();
        Assert.True(await sites.LinkedAsync(), "the sites did not link again");
        await Task.Delay(1000); // both sides' sync has been handled
        foreach (var site in new[] { sites.A, sites.B })
        {
            Assert.Single(new SqliteStatusStore(site.Database).RecentDecisions(200), d => d.Decision == "collision");
        }
    }

    [Fact]
    public async Task A_room_served_by_one_gateway_gets_no_floor_event()
    {
        await using var sites = await TwoSites.StartAsync(["anna"], ["bert"], startB: false);
        Assert.True(await Eventually.TrueAsync(() => sites.Homeserver.RoomEvents(sites.RoomId).Any(e => e["type"]?.GetValue<string>() == "org.matrix.msc4002.gateway"), 10_000),
            "site A did not announce itself");
        var anna = await sites.A.ConnectAsync("anna");

        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(TwoSites.Channel));
        await anna.TalkAsync(grant, 10, gapMs: 10);
        var recordings = sites.A.Host.Services.GetRequiredService<IRecordingIndex>();
        Assert.True(await Eventually.TrueAsync(() => recordings.Get(grant.BurstId) is { Complete: true }, 10_000));
        await Task.Delay(500); // what the gateway would have sent has reached the homeserver

        Assert.Empty(FloorEvents(sites));
    }

    private static IReadOnlyList<JsonObject> FloorEvents(TwoSites sites) =>
        sites.Homeserver.RoomEvents(sites.RoomId).Where(e => e["type"]?.GetValue<string>() == RoomFloorContent.EventType).ToList();

    private static bool Is(JsonObject e, string gatewayId, uint burstId, bool released) =>
        e["content"]?["gateway_id"]?.GetValue<string>() == gatewayId && e["content"]?["burst_id"]?.GetValue<uint>() == burstId
        && e["content"]!.AsObject().ContainsKey("released_ts") == released;

    private static RoomFloorClaim Claim(TwoSites sites, string gatewayId, uint burstId)
    {
        var e = Assert.Single(FloorEvents(sites), e => Is(e, gatewayId, burstId, released: false));
        Assert.Equal("", e["state_key"]!.GetValue<string>());
        return Assert.IsType<RoomFloorClaim>(RoomFloorContent.Parse(e["event_id"]!.GetValue<string>(), e["origin_server_ts"]!.GetValue<long>(),
            e["content"]!.AsObject(), out _));
    }
}
