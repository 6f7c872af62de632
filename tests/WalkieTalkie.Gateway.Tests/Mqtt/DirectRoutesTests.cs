using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Transports.Mqtt;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Mqtt;

/// <summary>Messages straight into a badge's session (the embedded broker's fast path) are valid MQTT and arrive in order.</summary>
public sealed class DirectRoutesTests
{
    [Fact]
    public async Task Control_and_audio_take_the_direct_route_with_valid_packet_identifiers()
    {
        await using var g = TestGateway.Create();
        g.AddBadge("anna");
        g.AddBadge("ben");
        g.AddChannel(1, 8000, "anna", "ben");
        await g.StartAsync();
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var link = Assert.IsType<EmbeddedBrokerLink>(g.Host.Link);
        Assert.True(await Eventually.TrueAsync(() => link.HasDirectRoute("anna") && link.HasDirectRoute("ben")));
        var before = link.DirectMessages;

        for (var round = 0; round < 3; round++)
        {
            var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
            await anna.TalkAsync(grant, 4);
            await ben.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId);
            Assert.Equal(new ushort[] { 0, 1, 2, 3 }, ben.FramesOf(grant.BurstId).Select(f => f.Sequence));
        }

        // 3 grants to Anna; 3 x (burst-start, 4 frames, burst-end) to Ben.
        Assert.True(link.DirectMessages - before >= 3 + 3 * 6);
        foreach (var badge in new[] { anna, ben })
        {
            var ids = badge.PacketIds.ToArray();
            Assert.NotEmpty(ids);
            Assert.DoesNotContain((ushort)0, ids);
            Assert.Equal(ids.Length, ids.Distinct().Count());
        }
    }
}
