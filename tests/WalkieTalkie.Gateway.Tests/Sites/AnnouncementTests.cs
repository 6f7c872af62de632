using System.Text.Json.Nodes;
using WalkieTalkie.Gateway.Sites.Discovery;

namespace WalkieTalkie.Gateway.Tests.Sites;

public sealed class AnnouncementTests
{
    private const string Fingerprint = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    [Fact]
    public void An_announcement_reads_back_as_written()
    {
        var written = new GatewayAnnouncement("gw-house", "wss://house.example.net:8443/sites/v1/link", Fingerprint);
        Assert.Equal(written, GatewayAnnouncement.Parse("gw-house", written.ToContent(), out var problem));
        Assert.Null(problem);
        Assert.True(written.IsSecure);
    }

    [Fact]
    public void Empty_content_is_a_withdrawal_not_a_problem()
    {
        Assert.Null(GatewayAnnouncement.Parse("gw-house", [], out var problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("gw-other", "wss://h/sites/v1/link", Fingerprint, "state key")]
    [InlineData("gw-house", "https://h/sites/v1/link", Fingerprint, "ws://")]
    [InlineData("gw-house", "not a url", Fingerprint, "ws://")]
    [InlineData("gw-house", "wss://h/sites/v1/link", "", "fingerprint")]
    [InlineData("gw-house", "wss://h/sites/v1/link", "zz112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", "fingerprint")]
    [InlineData("GW-HOUSE", "wss://h/sites/v1/link", Fingerprint, "state key")]
    public void A_bad_announcement_is_refused_with_a_reason(string id, string endpoint, string fingerprint, string reasonPart)
    {
        var content = new JsonObject { ["gateway_id"] = id, ["endpoint"] = endpoint, ["fingerprint_sha256"] = fingerprint };
        Assert.Null(GatewayAnnouncement.Parse(id == "GW-HOUSE" ? id : "gw-house", content, out var problem));
        Assert.Contains(reasonPart, problem);
    }

    [Fact]
    public void A_plain_endpoint_needs_no_fingerprint_but_is_not_secure()
    {
        var parsed = GatewayAnnouncement.Parse("gw-dev", new JsonObject { ["gateway_id"] = "gw-dev", ["endpoint"] = "ws://127.0.0.1:8080/sites/v1/link" }, out _);
        Assert.NotNull(parsed);
        Assert.False(parsed.IsSecure);
    }
}
