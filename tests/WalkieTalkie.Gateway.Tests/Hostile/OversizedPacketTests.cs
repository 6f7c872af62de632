using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Hostile;

/// <summary>
/// A logged-in badge announces a 100 MB PUBLISH and sends 1 KB of it: the broker must refuse the packet from its
/// header (it is larger than the protocol's largest message) and close the connection, not reserve 100 MB and wait
/// for the rest.
/// </summary>
public abstract class OversizedPacketTests
{
    protected abstract BrokerKind Broker { get; }

    [Fact]
    public async Task A_publish_announcing_100_MB_is_refused_from_its_header()
    {
        var g = TestGateway.Create();
        await using var _ = g;
        g.AddBadge("anna");
        g.AddBadge("ben");
        g.AddBadge("eve");
        g.AddChannel(1, 8000, "anna", "ben", "eve");
        await g.StartAsync(Broker);

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < 3; i++)
        {
            await using var eve = await RawMqttClient.OpenAsync(g.BadgePort);
            Assert.Equal(0, await eve.ConnectAsync("eve", "eve", g.Secrets["eve"]));
            await eve.TrySendAsync([.. RawMqttClient.PublishHeader(100_000_000), .. new byte[1024]]);
            Assert.True(await eve.ClosedWithinAsync(TimeSpan.FromSeconds(10)), "the broker still waits for the announced 100 MB");
        }

        if (Broker == BrokerKind.Embedded)
        {
            // Three 100 MB bodies would be 300 MB; the gateway reserved none of them.
            Assert.InRange(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore, 0, 64L << 20);
            Assert.True(g.Log.Contains("Refused", "100000000 bytes"));
        }

        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(grant, 3);
        Assert.Equal(3, (await ben.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId)).FrameCount);
    }
}

public sealed class EmbeddedBrokerOversizedPacketTests : OversizedPacketTests
{
    protected override BrokerKind Broker => BrokerKind.Embedded;
}

public sealed class MosquittoOversizedPacketTests : OversizedPacketTests
{
    protected override BrokerKind Broker => BrokerKind.Mosquitto;
}
