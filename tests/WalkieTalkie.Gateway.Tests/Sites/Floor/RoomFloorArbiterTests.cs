using Microsoft.Extensions.Time.Testing;
using WalkieTalkie.Gateway.Sites.Floor;

namespace WalkieTalkie.Gateway.Tests.Sites.Floor;

/// <summary>
/// The fallback rule read from the room's floor events, as both gateways apply it: each test feeds the same events in the
/// same order to the arbiters of gateway A and gateway B and checks that they reach the same verdict.
/// </summary>
public class RoomFloorArbiterTests
{
    private const string Room = "!yard:test.local";
    private const long Start = 1_800_000_000_000;

    private static readonly string[] NotLinked = [];

    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(Start));

    private static RoomFloorClaim Claim(string eventId, long ts, string gateway, uint burstId, long leaseMs = 30_000) =>
        new(eventId, Start + ts, gateway, burstId, "badge-" + gateway, Start + ts + leaseMs);

    private static RoomFloorRelease Release(string eventId, long ts, string gateway, uint burstId) => new(eventId, Start + ts, gateway, burstId);

    private (RoomFloorArbiter A, RoomFloorArbiter B) Both() => (new RoomFloorArbiter("gw-a", _time), new RoomFloorArbiter("gw-b", _time));

    private static List<RoomFloorVerdict> Feed(RoomFloorArbiter arbiter, params RoomFloorEvent[] events) =>
        events.SelectMany(e => arbiter.OnEvent(Room, e, NotLinked)).ToList();

    [Fact]
    public void Crossing_claims_are_won_by_the_earliest_origin_server_ts_at_both_gateways()
    {
        var (a, b) = Both();
        RoomFloorEvent[] events = [Claim("$b", 5, "gw-b", 7), Claim("$a", 12, "gw-a", 3)];

        foreach (var arbiter in new[] { a, b })
        {
            var verdict = Assert.Single(Feed(arbiter, events));
            Assert.Equal(("$b", "$a"), (verdict.Winner.EventId, verdict.Loser.EventId));
        }
    }

    [Fact]
    public void Claims_with_the_same_origin_server_ts_are_ordered_by_event_id()
    {
        var (a, b) = Both();
        RoomFloorEvent[] events = [Claim("$zz", 5, "gw-a", 1), Claim("$aa", 5, "gw-b", 1)];

        foreach (var arbiter in new[] { a, b })
        {
            var verdict = Assert.Single(Feed(arbiter, events));
            Assert.Equal("gw-b", verdict.Winner.GatewayId);
            Assert.Equal("gw-a", verdict.Loser.GatewayId);
        }
    }

    [Fact]
    public void A_claim_whose_lease_passed_is_ignored()
    {
        var (a, _) = Both();
        Feed(a, Claim("$b", 0, "gw-b", 1, leaseMs: 2_000));
        _time.Advance(TimeSpan.FromMilliseconds(2_500));

        Assert.Null(a.PeerHolder(Room, NotLinked));
        Assert.Empty(Feed(a, Claim("$a", 2_500, "gw-a", 1)));
    }

    [Fact]
    public void A_claim_already_expired_when_seen_decides_nothing()
    {
        var (a, _) = Both();
        Feed(a, Claim("$a", 0, "gw-a", 1));
        _time.Advance(TimeSpan.FromSeconds(40));

        Assert.Empty(Feed(a, Claim("$b", 39_000, "gw-b", 1, leaseMs: 500)));
        Assert.Null(a.PeerHolder(Room, NotLinked));
    }

    [Fact]
    public void A_released_claim_no_longer_holds_the_room_and_does_not_cross_a_later_one()
    {
        var (a, b) = Both();
        foreach (var arbiter in new[] { a, b })
        {
            Assert.Empty(Feed(arbiter, Claim("$b1", 0, "gw-b", 1), Release("$b1r", 800, "gw-b", 1), Claim("$a1", 900, "gw-a", 1)));
        }

        Assert.Null(a.PeerHolder(Room, NotLinked));
        Assert.Equal("$a1", b.PeerHolder(Room, NotLinked)?.EventId);
    }

    [Fact]
    public void A_release_of_another_burst_of_the_same_gateway_leaves_the_claim_live()
    {
        var (a, _) = Both();
        Feed(a, Claim("$b2", 0, "gw-b", 2), Release("$b1r", 10, "gw-b", 1));

        Assert.Equal("$b2", a.PeerHolder(Room, NotLinked)?.EventId);
    }

    [Fact]
    public void A_peer_claim_holds_the_room_until_released()
    {
        var (a, _) = Both();
        Feed(a, Claim("$b", 0, "gw-b", 4));
        Assert.Equal("$b", a.PeerHolder(Room, NotLinked)?.EventId);

        Feed(a, Release("$br", 3_000, "gw-b", 4));
        Assert.Null(a.PeerHolder(Room, NotLinked));
    }

    [Fact]
    public void A_claim_that_lost_no_longer_holds_the_room_before_its_release_arrives()
    {
        var (a, _) = Both();
        Feed(a, Claim("$a", 0, "gw-a", 1), Claim("$b", 10, "gw-b", 1));

        Assert.Null(a.PeerHolder(Room, NotLinked));
    }

    [Fact]
    public void Claims_of_a_peer_linked_live_are_left_to_the_link()
    {
        var a = new RoomFloorArbiter("gw-a", _time);
        string[] linked = ["gw-b"];

        Assert.Empty(a.OnEvent(Room, Claim("$a", 0, "gw-a", 1), linked));
        Assert.Empty(a.OnEvent(Room, Claim("$b", 10, "gw-b", 1), linked));
        Assert.Null(a.PeerHolder(Room, linked));
    }

    [Fact]
    public void A_crossing_of_two_other_gateways_is_not_this_gateways_to_decide()
    {
        var c = new RoomFloorArbiter("gw-c", _time);

        Assert.Empty(Feed(c, Claim("$a", 0, "gw-a", 1), Claim("$b", 10, "gw-b", 1)));
        Assert.Equal("$a", c.PeerHolder(Room, NotLinked)?.EventId);
    }

    [Fact]
    public void The_same_claim_seen_twice_is_decided_once()
    {
        var (a, _) = Both();
        var verdicts = Feed(a, Claim("$a", 0, "gw-a", 1), Claim("$b", 10, "gw-b", 1), Claim("$b", 10, "gw-b", 1));

        Assert.Single(verdicts);
    }

    [Fact]
    public void A_new_claim_of_a_gateway_replaces_its_previous_one()
    {
        var (a, _) = Both();
        Feed(a, Claim("$b1", 0, "gw-b", 1), Claim("$b2", 5_000, "gw-b", 2));

        Assert.Equal("$b2", a.PeerHolder(Room, NotLinked)?.EventId);
    }
}
