using System.Text;
using WalkieTalkie.Gateway.Sites.Floor;

namespace WalkieTalkie.Gateway.Tests.Sites.Floor;

public class SiteFloorWireTests
{
    public static TheoryData<SiteFloorMessage> Messages() =>
    [
        new SiteFloorClaim("!room:example.org", "gw-a", 42, "badge-1", "Kitchen", 1_700_000_000_123),
        new SiteFloorClaim("!room:example.org", "gw-a", 7, "@alice:example.org", null, 5),
        new SiteFloorClaim("!room:example.org", "gw-a", 8, "badge-2", "Anna", 6, Emergency: true),
        new SiteFloorRelease("!room:example.org", "gw-b", 45, 1_700_000_001_000, SiteFloorEndReason.Collision),
        new SiteFloorRelease("!room:example.org", "gw-b", 43, 1_700_000_001_000, SiteFloorEndReason.Collision),
        new SiteFloorRelease("!room:example.org", "gw-b", 44, 1_700_000_001_000, SiteFloorEndReason.Released),
        new SiteClockProbe("!room:example.org", "gw-a", 100, null, null),
        new SiteClockProbe("!room:example.org", "gw-b", 100, 130, 131),
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void A_message_reads_back_as_written(SiteFloorMessage message)
    {
        Assert.True(SiteFloorWire.TryDecode(SiteFloorWire.Encode(message), out var read, out var error), error);
        Assert.Equal(message, read);
    }

    [Fact]
    public void A_sync_reads_back_with_its_current_claim_and_recent_bursts()
    {
        var sync = new SiteFloorSync("!r:x", "gw-a", new SiteFloorClaim("!r:x", "gw-a", 9, "badge-2", null, 2000),
            [new SiteFloorBurst(8, "badge-1", 1000, 1500), new SiteFloorBurst(7, "badge-3", 500, 900)]);

        Assert.True(SiteFloorWire.TryDecode(SiteFloorWire.Encode(sync), out var read, out var error), error);
        var back = Assert.IsType<SiteFloorSync>(read);
        Assert.Equal(sync.Current, back.Current);
        Assert.Equal(sync.Recent, back.Recent);
    }

    [Fact]
    public void A_sync_carries_the_emergency_of_its_current_claim_and_recent_bursts()
    {
        var sync = new SiteFloorSync("!r:x", "gw-a", new SiteFloorClaim("!r:x", "gw-a", 9, "badge-2", null, 2000, Emergency: true),
            [new SiteFloorBurst(8, "badge-1", 1000, 1500, Emergency: true), new SiteFloorBurst(7, "badge-3", 500, 900)]);

        Assert.True(SiteFloorWire.TryDecode(SiteFloorWire.Encode(sync), out var read, out var error), error);
        var back = Assert.IsType<SiteFloorSync>(read);
        Assert.True(back.Current!.Emergency);
        Assert.Equal(sync.Recent, back.Recent);
    }

    [Fact]
    public void An_emergency_claim_says_so_and_an_ordinary_one_is_written_as_before()
    {
        var sos = Encoding.UTF8.GetString(SiteFloorWire.Encode(new SiteFloorClaim("!r:x", "gw-a", 3, "badge-1", null, 77, Emergency: true)));

        Assert.Equal("""{"type":"org.matrix.msc4002.floor.claim","room_id":"!r:x","gateway_id":"gw-a","burst_id":3,"talker":"badge-1","claim_ts":77,"emergency":true}""", sos);
        Assert.DoesNotContain("emergency", Encoding.UTF8.GetString(SiteFloorWire.Encode(new SiteFloorClaim("!r:x", "gw-a", 3, "badge-1", null, 77))));
    }

    [Fact]
    public void A_claim_of_a_gateway_that_predates_the_emergency_flag_reads_as_not_an_emergency()
    {
        var old = """{"type":"org.matrix.msc4002.floor.claim","room_id":"!r:x","gateway_id":"gw-a","burst_id":3,"talker":"badge-1","claim_ts":77}""";

        Assert.True(SiteFloorWire.TryDecode(Encoding.UTF8.GetBytes(old), out var read, out var error), error);
        Assert.Equal(new SiteFloorClaim("!r:x", "gw-a", 3, "badge-1", null, 77, Emergency: false), read);
    }

    [Fact]
    public void A_release_for_an_emergency_preemption_goes_out_as_a_collision_which_every_version_reads()
    {
        var json = Encoding.UTF8.GetString(SiteFloorWire.Encode(new SiteFloorRelease("!r:x", "gw-b", 4, 90, SiteFloorEndReason.Preempted)));

        Assert.Contains("\"reason\":\"collision\"", json);
    }

    [Fact]
    public void A_claim_is_written_with_the_documented_field_names()
    {
        var json = Encoding.UTF8.GetString(SiteFloorWire.Encode(new SiteFloorClaim("!r:x", "gw-a", 3, "badge-1", null, 77)));

        Assert.Equal("""{"type":"org.matrix.msc4002.floor.claim","room_id":"!r:x","gateway_id":"gw-a","burst_id":3,"talker":"badge-1","claim_ts":77}""", json);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{")]
    [InlineData("""{"type":"org.matrix.msc4002.floor.claim"}""")]
    [InlineData("""{"type":"nope","room_id":"!r:x","gateway_id":"g"}""")]
    [InlineData("""{"type":"org.matrix.msc4002.floor.claim","room_id":"!r:x","gateway_id":"g","burst_id":0,"talker":"b","claim_ts":1}""")]
    [InlineData("""{"type":"org.matrix.msc4002.floor.claim","room_id":"!r:x","gateway_id":"g","burst_id":1,"talker":"b","claim_ts":-1}""")]
    [InlineData("""{"type":"org.matrix.msc4002.floor.claim","room_id":"!r:x","gateway_id":"g","burst_id":1,"talker":5,"claim_ts":1}""")]
    [InlineData("""{"type":"org.matrix.msc4002.floor.claim","room_id":"!r:x","gateway_id":"g","burst_id":1,"talker":"b","claim_ts":1,"emergency":1}""")]
    [InlineData("""{"type":"org.matrix.msc4002.floor.release","room_id":"!r:x","gateway_id":"g","burst_id":1,"end_ts":1,"reason":"bored"}""")]
    [InlineData("""{"type":"org.matrix.msc4002.floor.clock","room_id":"!r:x","gateway_id":"g","origin_ts":1,"receive_ts":2}""")]
    [InlineData("""{"type":"org.matrix.msc4002.floor.sync","room_id":"!r:x","gateway_id":"g"}""")]
    [InlineData("""{"type":"org.matrix.msc4002.floor.sync","room_id":"!r:x","gateway_id":"g","recent":[1]}""")]
    public void Bad_input_is_refused_with_a_reason(string json)
    {
        Assert.False(SiteFloorWire.TryDecode(Encoding.UTF8.GetBytes(json), out var message, out var error));
        Assert.Null(message);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void An_oversized_message_is_refused_before_it_is_parsed()
    {
        Assert.False(SiteFloorWire.TryDecode(new byte[SiteFloorWire.MaxLength + 1], out _, out var error));
        Assert.Contains("over", error);
    }

    [Fact]
    public void Claims_order_by_time_then_gateway_then_burst()
    {
        Assert.True(new ClaimKey(1, "z", 9).Beats(new ClaimKey(2, "a", 1)));
        Assert.True(new ClaimKey(1, "a", 9).Beats(new ClaimKey(1, "b", 1)));
        Assert.True(new ClaimKey(1, "a", 1).Beats(new ClaimKey(1, "a", 2)));
        Assert.False(new ClaimKey(1, "a", 1).Beats(new ClaimKey(1, "a", 1)));
    }

    [Fact]
    public void An_emergency_claim_beats_an_ordinary_one_whatever_their_order_and_two_emergencies_order_as_any_two()
    {
        Assert.True(new ClaimKey(9, "z", 9, Emergency: true).Beats(new ClaimKey(1, "a", 1)));
        Assert.False(new ClaimKey(1, "a", 1).Beats(new ClaimKey(9, "z", 9, Emergency: true)));
        Assert.True(new ClaimKey(1, "z", 9, Emergency: true).Beats(new ClaimKey(2, "a", 1, Emergency: true)));
        Assert.True(new ClaimKey(1, "a", 9, Emergency: true).Beats(new ClaimKey(1, "b", 1, Emergency: true)));
    }
}
