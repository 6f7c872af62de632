using System.Text.Json.Nodes;
using WalkieTalkie.Gateway.Sites.Floor;

namespace WalkieTalkie.Gateway.Tests.Sites.Floor;

public class RoomFloorContentTests
{
    private static readonly RoomFloorContent.Burst Burst = new("gw-a", 42, "badge-1", "@badge-1:test.local", "BADGE1", 1_800_000_030_000);

    private static JsonObject RoundTrip(JsonObject content) => JsonNode.Parse(content.ToJsonString())!.AsObject();

    [Fact]
    public void A_claim_carries_the_talker_its_account_and_the_lease()
    {
        var content = RoomFloorContent.Claim(Burst);

        Assert.Equal("""{"gateway_id":"gw-a","burst_id":42,"talker":"badge-1","lease_until_ts":1800000030000,"user_id":"@badge-1:test.local","device_id":"BADGE1"}""",
            content.ToJsonString());
        var claim = Assert.IsType<RoomFloorClaim>(RoomFloorContent.Parse("$e", 7, RoundTrip(content), out var problem));
        Assert.Null(problem);
        Assert.Equal(new RoomFloorClaim("$e", 7, "gw-a", 42, "badge-1", 1_800_000_030_000), claim);
    }

    [Fact]
    public void An_emergency_claim_says_so_and_reads_back_as_one()
    {
        var content = RoomFloorContent.Claim(Burst with { Emergency = true });

        Assert.True(content["emergency"]!.GetValue<bool>());
        var claim = Assert.IsType<RoomFloorClaim>(RoomFloorContent.Parse("$e", 7, RoundTrip(content), out var problem));
        Assert.Null(problem);
        Assert.True(claim.Emergency);
        Assert.True(Assert.IsType<RoomFloorRelease>(RoomFloorContent.Parse("$r", 8, RoundTrip(RoomFloorContent.Release(Burst with { Emergency = true }, 9)), out _))
            is { GatewayId: "gw-a", BurstId: 42 });
    }

    [Fact]
    public void A_claim_of_a_gateway_that_predates_the_emergency_flag_reads_as_not_an_emergency()
    {
        var old = JsonNode.Parse("""{"gateway_id":"gw-a","burst_id":42,"talker":"badge-1","lease_until_ts":1800000030000}""")!.AsObject();

        var claim = Assert.IsType<RoomFloorClaim>(RoomFloorContent.Parse("$e", 7, old, out var problem));
        Assert.Null(problem);
        Assert.False(claim.Emergency);
        Assert.False(RoomFloorContent.Claim(Burst).ContainsKey("emergency"));
    }

    [Fact]
    public void In_the_room_an_emergency_claim_beats_an_ordinary_one_whatever_their_order()
    {
        var early = new RoomFloorClaim("$a", 1, "gw-a", 1, "bert", 100);
        var lateSos = new RoomFloorClaim("$b", 2, "gw-b", 1, "anna", 100, Emergency: true);

        Assert.True(lateSos.Beats(early));
        Assert.False(early.Beats(lateSos));
        Assert.True((early with { Emergency = true }).Beats(lateSos));
    }

    [Fact]
    public void A_talker_without_a_Matrix_device_is_named_by_the_talker_alone()
    {
        var content = RoomFloorContent.Claim(Burst with { UserId = null, DeviceId = null });

        Assert.False(content.ContainsKey("user_id"));
        Assert.False(content.ContainsKey("device_id"));
    }

    [Fact]
    public void A_release_is_the_claim_with_released_ts()
    {
        var content = RoomFloorContent.Release(Burst, 1_800_000_004_000);

        Assert.Equal(1_800_000_004_000, content["released_ts"]!.GetValue<long>());
        Assert.Equal(new RoomFloorRelease("$r", 9, "gw-a", 42), RoomFloorContent.Parse("$r", 9, RoundTrip(content), out _));
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"gateway_id":"GW A","burst_id":1,"talker":"b","lease_until_ts":1}""")]
    [InlineData("""{"gateway_id":"gw-a","burst_id":0,"talker":"b","lease_until_ts":1}""")]
    [InlineData("""{"gateway_id":"gw-a","burst_id":4294967296,"talker":"b","lease_until_ts":1}""")]
    [InlineData("""{"gateway_id":"gw-a","burst_id":1.5,"talker":"b","lease_until_ts":1}""")]
    [InlineData("""{"gateway_id":"gw-a","burst_id":1,"talker":"","lease_until_ts":1}""")]
    [InlineData("""{"gateway_id":"gw-a","burst_id":1,"talker":5,"lease_until_ts":1}""")]
    [InlineData("""{"gateway_id":"gw-a","burst_id":1,"talker":"b"}""")]
    [InlineData("""{"gateway_id":"gw-a","burst_id":1,"talker":"b","lease_until_ts":-1}""")]
    [InlineData("""{"gateway_id":"gw-a","burst_id":1,"talker":"b","lease_until_ts":1,"released_ts":"soon"}""")]
    [InlineData("""{"gateway_id":"gw-a","burst_id":1,"talker":"b","lease_until_ts":1,"emergency":"yes"}""")]
    public void Bad_content_is_refused_with_a_reason(string json)
    {
        Assert.Null(RoomFloorContent.Parse("$e", 1, JsonNode.Parse(json)!.AsObject(), out var problem));
        Assert.NotNull(problem);
    }
}
