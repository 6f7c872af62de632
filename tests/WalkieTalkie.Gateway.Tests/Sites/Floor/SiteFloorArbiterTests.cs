using WalkieTalkie.Gateway.Sites.Floor;

namespace WalkieTalkie.Gateway.Tests.Sites.Floor;

public class SiteFloorArbiterTests
{
    private const string Room = SimulatedSites.Room;

    [Fact]
    public void Presses_at_two_sites_within_20_ms_leave_one_winner_that_both_sites_play()
    {
        var net = new SimulatedSites(1, ("gw-a", 0), ("gw-b", 0)) { DelayMs = 30, JitterMs = 0 };
        net.LinkAll();
        net.PressAt(1000, "gw-a", "alice");
        net.PressAt(1015, "gw-b", "bob");
        net.RunUntil(1500);

        Assert.Equal(1u, net.Sites["gw-a"].LocalBurst);
        Assert.Equal("gw-a/1", net.Sites["gw-a"].Playing);
        Assert.Equal("gw-a/1", net.Sites["gw-b"].Playing);
        Assert.Equal([1u], net.Sites["gw-b"].Stopped);
        Assert.Empty(net.Sites["gw-a"].Stopped);
        foreach (var site in net.Sites.Values)
        {
            var collision = Assert.Single(site.Collisions);
            Assert.Equal(("gw-a", "gw-b"), (collision.Winner.GatewayId, collision.Loser.GatewayId));
            Assert.False(collision.DuringPartition);
        }
    }

    [Fact]
    public void An_SOS_while_the_other_site_talks_is_granted_and_preempts_that_talker_at_its_site()
    {
        var net = new SimulatedSites(1, ("gw-a", 0), ("gw-b", 0)) { DelayMs = 30, JitterMs = 0 };
        net.LinkAll();
        net.PressAt(1000, "gw-b", "bert");
        net.SosAt(2000, "gw-a", "anna");
        net.RunUntil(2500);

        Assert.Empty(net.Sites["gw-a"].Denied);
        Assert.Equal(1u, net.Sites["gw-a"].LocalBurst);
        Assert.Equal([1u], net.Sites["gw-b"].Preempted);
        Assert.True(net.Sites["gw-a"].Arbiter.LocalHolder(Room)!.Emergency);
        Assert.Equal("gw-a/1", net.Sites["gw-a"].Playing);
        Assert.Equal("gw-a/1", net.Sites["gw-b"].Playing);
        // While the SOS holds the room, an ordinary press at either site is refused.
        net.PressAt(2600, "gw-b", "dora");
        net.PressAt(2600, "gw-a", "carl");
        net.RunUntil(3000);
        Assert.Equal(["dora"], net.Sites["gw-b"].Denied);
        Assert.Equal(["carl"], net.Sites["gw-a"].Denied);
    }

    [Fact]
    public void An_SOS_that_crosses_an_earlier_ordinary_claim_wins_at_both_sites()
    {
        var net = new SimulatedSites(1, ("gw-a", 0), ("gw-b", 0)) { DelayMs = 30, JitterMs = 0 };
        net.LinkAll();
        net.PressAt(1000, "gw-a", "alice");
        net.SosAt(1010, "gw-b", "bert");
        net.RunUntil(1500);

        Assert.Equal([1u], net.Sites["gw-a"].Preempted);
        Assert.Empty(net.Sites["gw-b"].Stopped);
        Assert.Equal("gw-b/1", net.Sites["gw-a"].Playing);
        Assert.Equal("gw-b/1", net.Sites["gw-b"].Playing);
    }

    [Fact]
    public void Two_SOS_claims_that_cross_are_decided_by_the_usual_order()
    {
        var net = new SimulatedSites(1, ("gw-a", 0), ("gw-b", 0)) { DelayMs = 30, JitterMs = 0 };
        net.LinkAll();
        net.SosAt(1000, "gw-b", "bert");
        net.SosAt(1010, "gw-a", "anna");
        net.RunUntil(1500);

        Assert.Equal([1u], net.Sites["gw-a"].Stopped);
        Assert.Empty(net.Sites["gw-a"].Preempted);
        Assert.Equal("gw-b/1", net.Sites["gw-a"].Playing);
        Assert.Equal("gw-b/1", net.Sites["gw-b"].Playing);

        // An SOS pressed while another site's SOS holds the room is refused, as a local one would be.
        net.SosAt(1600, "gw-a", "carl");
        net.RunUntil(1700);
        Assert.Equal(["carl"], net.Sites["gw-a"].Denied);
    }

    [Fact]
    public void Presses_at_three_sites_within_20_ms_leave_one_winner_that_every_site_plays()
    {
        var net = new SimulatedSites(2, ("gw-a", 0), ("gw-b", 7), ("gw-c", -4));
        net.LinkAll();
        net.PressAt(1000, "gw-c", "carol");
        net.PressAt(1002, "gw-a", "alice");
        net.PressAt(1004, "gw-b", "bob");
        net.RunUntil(1500);

        AssertOneWinner(net);
        Assert.Equal("gw-c/1", net.Sites["gw-a"].Playing);
    }

    [Fact]
    public void A_hundred_races_with_random_offsets_skews_and_delays_never_disagree()
    {
        var random = new Random(16);
        var collisions = 0;
        for (var race = 0; race < 100; race++)
        {
            var sites = random.Next(2, 4);
            var net = new SimulatedSites(race, Enumerable.Range(0, sites).Select(i => ($"gw-{(char)('a' + i)}", (long)random.Next(-100, 101))).ToArray())
            {
                DelayMs = random.Next(1, 30),
                JitterMs = random.Next(0, 10),
            };
            net.LinkAll();
            foreach (var site in net.Sites.Keys)
            {
                net.PressAt(1000 + random.Next(0, 21), site, $"badge-{site}");
            }

            net.RunUntil(2000);

            AssertOneWinner(net);
            collisions += net.Sites.Values.Sum(s => s.Stopped.Count);
        }

        // The offsets are within the link delay often enough that most races are real collisions.
        Assert.True(collisions >= 50, $"only {collisions} collisions in 100 races");
    }

    [Fact]
    public void A_partition_leaves_each_side_working_alone_and_they_agree_again_on_reconnect()
    {
        var net = new SimulatedSites(3, ("gw-a", 0), ("gw-b", 20));
        net.LinkAll();
        net.At(500, () => net.Cut("gw-a", "gw-b"));
        net.PressAt(1000, "gw-a", "alice");
        net.PressAt(2000, "gw-b", "bob");
        net.RunUntil(2500);

        // Alone, each plays its own badge.
        Assert.Equal("gw-a/1", net.Sites["gw-a"].Playing);
        Assert.Equal("gw-b/1", net.Sites["gw-b"].Playing);

        net.At(3000, () => net.Restore("gw-a", "gw-b"));
        net.RunUntil(3500);

        // Back together: the earlier claim keeps the floor at both sites, the later one is stopped.
        Assert.Equal("gw-a/1", net.Sites["gw-a"].Playing);
        Assert.Equal("gw-a/1", net.Sites["gw-b"].Playing);
        Assert.Equal([1u], net.Sites["gw-b"].Stopped);
        Assert.Empty(net.Sites["gw-a"].Stopped);

        // And a fresh race afterwards is decided as before, without a restart.
        net.ReleaseAt(4000, "gw-a");
        net.PressAt(5000, "gw-b", "bob");
        net.PressAt(5010, "gw-a", "alice");
        net.RunUntil(5500);
        Assert.Equal(["alice"], net.Sites["gw-a"].Denied);
        Assert.Equal("gw-b/2", net.Sites["gw-a"].Playing);
        Assert.Equal("gw-b/2", net.Sites["gw-b"].Playing);
    }

    [Fact]
    public void A_collision_during_a_partition_shows_at_both_sites_once_they_see_each_others_bursts()
    {
        var net = new SimulatedSites(4, ("gw-a", 0), ("gw-b", 0));
        net.LinkAll();
        net.At(500, () => net.Cut("gw-a", "gw-b"));
        net.PressAt(1000, "gw-a", "alice");
        net.PressAt(1500, "gw-b", "bob");
        net.ReleaseAt(3000, "gw-a");
        net.ReleaseAt(3500, "gw-b");
        net.PressAt(5000, "gw-a", "alice");
        net.ReleaseAt(6000, "gw-a");
        net.RunUntil(7000);
        Assert.All(net.Sites.Values, site => Assert.Empty(site.Collisions));

        net.At(8000, () => net.Restore("gw-a", "gw-b"));
        net.RunUntil(8500);

        foreach (var site in net.Sites.Values)
        {
            var collision = Assert.Single(site.Collisions);
            Assert.True(collision.DuringPartition);
            Assert.Equal(("gw-a", 1u, "alice"), (collision.Winner.GatewayId, collision.Winner.BurstId, collision.Winner.Talker));
            Assert.Equal(("gw-b", 1u, "bob"), (collision.Loser.GatewayId, collision.Loser.BurstId, collision.Loser.Talker));
        }

        // A second reconnect does not report it again.
        net.At(9000, () => net.Cut("gw-a", "gw-b"));
        net.At(9500, () => net.Restore("gw-a", "gw-b"));
        net.RunUntil(10000);
        Assert.All(net.Sites.Values, site => Assert.Single(site.Collisions));
    }

    [Fact]
    public void A_link_cut_in_the_middle_of_a_race_is_settled_when_it_is_back()
    {
        var net = new SimulatedSites(5, ("gw-a", 0), ("gw-b", 0)) { DelayMs = 10, JitterMs = 0 };
        net.LinkAll();
        net.PressAt(1000, "gw-b", "bob");
        net.PressAt(1005, "gw-a", "alice");
        net.At(1008, () => net.Cut("gw-a", "gw-b"));
        net.RunUntil(1200);
        Assert.Equal("gw-a/1", net.Sites["gw-a"].Playing);
        Assert.Equal("gw-b/1", net.Sites["gw-b"].Playing);

        net.At(1300, () => net.Restore("gw-a", "gw-b"));
        net.RunUntil(1600);
        AssertOneWinner(net);
        Assert.Equal("gw-b/1", net.Sites["gw-a"].Playing);
    }

    [Fact]
    public void A_press_at_a_site_that_already_hears_a_remote_claim_is_refused()
    {
        var net = new SimulatedSites(6, ("gw-a", 0), ("gw-b", 0));
        net.LinkAll();
        net.PressAt(1000, "gw-a", "alice");
        net.PressAt(1100, "gw-b", "bob");
        net.RunUntil(1200);

        Assert.Equal(["bob"], net.Sites["gw-b"].Denied);
        Assert.Empty(net.Sites["gw-b"].Granted);
        Assert.Equal("gw-a/1", net.Sites["gw-b"].Playing);

        net.ReleaseAt(1300, "gw-a");
        net.PressAt(1400, "gw-b", "bob");
        net.RunUntil(1500);
        Assert.Equal("gw-b/1", net.Sites["gw-a"].Playing);
    }

    [Fact]
    public void Clock_offsets_are_measured_and_a_peer_beyond_the_bound_is_flagged()
    {
        var net = new SimulatedSites(7, ("gw-a", 0), ("gw-b", 40), ("gw-c", 900)) { DelayMs = 5, JitterMs = 4 };
        net.LinkAll();
        net.RunUntil(5000);

        var a = net.Sites["gw-a"];
        var b = a.Arbiter.ClockOf("gw-b")!;
        var c = a.Arbiter.ClockOf("gw-c")!;
        Assert.True(Math.Abs(b.OffsetMs - 40) <= b.ErrorMs + 1, $"offset {b.OffsetMs} ± {b.ErrorMs}");
        Assert.True(Math.Abs(c.OffsetMs - 900) <= c.ErrorMs + 1, $"offset {c.OffsetMs} ± {c.ErrorMs}");
        Assert.True(b.WithinBound);
        Assert.False(c.WithinBound);
        Assert.Contains(a.Clocks, report => report.PeerGatewayId == "gw-c" && !report.WithinBound);
        Assert.False(net.Sites["gw-c"].Arbiter.ClockOf("gw-a")!.WithinBound);
    }

    [Fact]
    public void Messages_for_another_room_or_naming_another_gateway_are_ignored()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var arbiter = new SiteFloorArbiter("gw-a", time, new SiteFloorOptions());
        arbiter.OnPeerUp(Room, "gw-b");
        arbiter.TakeOutputs();

        arbiter.OnMessage("gw-b", new SiteFloorClaim(Room, "gw-x", 1, "mallory", null, 0));
        arbiter.OnMessage("gw-b", new SiteFloorClaim("!other:example.org", "gw-b", 1, "mallory", null, 0));
        arbiter.OnMessage("gw-z", new SiteFloorClaim(Room, "gw-z", 1, "mallory", null, 0));

        Assert.Empty(arbiter.TakeOutputs());
        Assert.Null(arbiter.RemoteHolder(Room));
    }

    // Once every message is delivered: exactly one claim still holds, it is the earliest of the race's grants (so the
    // winner was never cut), every other grant was stopped by its own site, and every site plays the winner.
    private static void AssertOneWinner(SimulatedSites net)
    {
        var granted = net.Sites.Values.SelectMany(s => s.Granted).ToList();
        Assert.NotEmpty(granted);
        var winner = granted.MinBy(c => c.Key)!;
        var holding = net.Sites.Values.Where(s => s.LocalBurst is not null).ToList();
        var holder = Assert.Single(holding);
        Assert.Equal((winner.GatewayId, winner.BurstId), (holder.Id, holder.LocalBurst!.Value));
        Assert.DoesNotContain(winner.BurstId, holder.Stopped);
        foreach (var site in net.Sites.Values)
        {
            Assert.Equal($"{winner.GatewayId}/{winner.BurstId}", site.Playing);
            var lost = site.Granted.Where(c => c != winner).Select(c => c.BurstId);
            Assert.Equal(lost, site.Stopped);
        }
    }
}
