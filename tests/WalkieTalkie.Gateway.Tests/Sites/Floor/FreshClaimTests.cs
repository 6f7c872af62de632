using Microsoft.Extensions.Time.Testing;
using WalkieTalkie.Gateway.Sites.Floor;

namespace WalkieTalkie.Gateway.Tests.Sites.Floor;

/// <summary>
/// A press refused because another site's claim holds the room crossed that claim (collision, not busy) while the
/// claim reached this gateway less than the collision window ago (on this gateway's clock).
/// </summary>
public class FreshClaimTests
{
    private const string Room = SimulatedSites.Room;
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    [Fact]
    public void A_remote_claim_is_fresh_for_the_collision_window_then_holds_as_a_turn()
    {
        var clock = new FakeTimeProvider(Start);
        var arbiter = new SiteFloorArbiter("gw-b", clock, new SiteFloorOptions { CollisionWindowMs = 500 });
        arbiter.OnPeerUp(Room, "gw-a");
        Assert.False(arbiter.HeldByFreshClaim(Room));

        arbiter.OnMessage("gw-a", new SiteFloorClaim(Room, "gw-a", 7, "anna", "Anna", Start.ToUnixTimeMilliseconds()));
        Assert.NotNull(arbiter.RemoteHolder(Room));
        Assert.True(arbiter.HeldByFreshClaim(Room));
        clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.True(arbiter.HeldByFreshClaim(Room));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(arbiter.HeldByFreshClaim(Room));
        Assert.NotNull(arbiter.RemoteHolder(Room));
    }

    [Fact]
    public void A_press_is_judged_by_when_it_reached_the_gateway_not_by_when_the_engine_came_to_it()
    {
        var clock = new FakeTimeProvider(Start);
        var arbiter = new SiteFloorArbiter("gw-b", clock, new SiteFloorOptions { CollisionWindowMs = 500 });
        arbiter.OnPeerUp(Room, "gw-a");
        arbiter.OnMessage("gw-a", new SiteFloorClaim(Room, "gw-a", 7, "anna", "Anna", Start.ToUnixTimeMilliseconds()));

        // The engine comes to a press 700 ms after the claim: a press that reached the gateway 11 ms after the claim
        // crossed it; one that reached it 600 ms after the claim came after a turn began.
        clock.Advance(TimeSpan.FromMilliseconds(700));
        Assert.True(arbiter.HeldByFreshClaim(Room, pressAgeMs: 689));
        Assert.False(arbiter.HeldByFreshClaim(Room, pressAgeMs: 100));
        Assert.False(arbiter.HeldByFreshClaim(Room));
    }

    [Fact]
    public void A_claim_is_judged_by_when_it_arrived_not_by_its_senders_clock()
    {
        var clock = new FakeTimeProvider(Start);
        var arbiter = new SiteFloorArbiter("gw-b", clock, new SiteFloorOptions { CollisionWindowMs = 500, MaxSkewMs = 5_000 });
        arbiter.OnPeerUp(Room, "gw-a");

        // gw-a's clock runs 2 s ahead, or 2 s behind: its claim is fresh here for the window from its arrival either way.
        foreach (var skewMs in new long[] { 2_000, -2_000 })
        {
            var claim = new SiteFloorClaim(Room, "gw-a", (uint)(10 + skewMs / 1000), "anna", "Anna", clock.GetUtcNow().ToUnixTimeMilliseconds() + skewMs);
            arbiter.OnMessage("gw-a", claim);
            Assert.Equal(claim, arbiter.RemoteHolder(Room));
            Assert.True(arbiter.HeldByFreshClaim(Room));
            clock.Advance(TimeSpan.FromMilliseconds(500));
            Assert.False(arbiter.HeldByFreshClaim(Room));
            arbiter.OnMessage("gw-a", new SiteFloorRelease(Room, "gw-a", claim.BurstId, claim.ClaimTs + 500, SiteFloorEndReason.Released));
            Assert.Null(arbiter.RemoteHolder(Room));
            Assert.False(arbiter.HeldByFreshClaim(Room));
        }
    }
}
