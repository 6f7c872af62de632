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
    public void Bad_content_is_refused_with_a_reason(string json)
    {
        Assert.Null(RoomFloorContent.Parse("$e", 1, JsonNode.Parse(json)!.AsObject(), out var problem));
        Assert.NotNull(problem);
    }
}
