using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Hostile;

/// <summary>
/// Audio and control have separate budgets: a floor holder flooding its own audio still gets its floor-release
/// through (with one shared budget, the release was dropped with the excess frames and the burst ran to its lease).
/// </summary>
public abstract class ControlUnderFloodTests
{
    protected abstract BrokerKind Broker { get; }

    [Fact]
    public async Task A_release_gets_through_the_holders_own_audio_flood()
    {
        var g = TestGateway.Create();
        await using var _ = g;
        g.AddBadge("anna");
        g.AddBadge("ben");
        g.AddChannel(1, 8000, "anna", "ben");
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");

        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        const int frames = 1000;
        for (var i = 0; i < frames; i++)
        {
            await anna.SendFrameAsync(TestFrames.Make(1, grant.BurstId, (ushort)i));
        }

        await anna.SendAsync(new FloorRelease { Channel = 1, BurstId = grant.BurstId, FrameCount = frames });

        var end = await ben.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId, timeoutMs: 15000);
        Assert.Equal(EndReason.Released, end.Reason);
        Assert.InRange(end.FrameCount, 1, frames - 1); // the excess audio was dropped
        Assert.True(await Eventually.TrueAsync(() => g.Log.Contains("Flood from badge anna")));
    }
}

public sealed class EmbeddedBrokerControlUnderFloodTests : ControlUnderFloodTests
{
    protected override BrokerKind Broker => BrokerKind.Embedded;
}

public sealed class MosquittoControlUnderFloodTests : ControlUnderFloodTests
{
    protected override BrokerKind Broker => BrokerKind.Mosquitto;
}
