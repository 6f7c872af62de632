using MQTTnet.Protocol;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Transports;

/// <summary>
/// A gateway on an external broker (Mosquitto here) sends a listener's audio at QoS 1, on the same ordered path as the
/// burst's <c>burst-start</c> and <c>burst-end</c>: every frame arrives once, in order, between the two. At QoS 0
/// RabbitMQ could let the frames pass the burst's end, or drop them (docs/scale.md); the embedded broker is not
/// concerned (its own direct writes).
/// </summary>
public sealed class ExternalDownlinkTests
{
    [Fact]
    public async Task A_listener_on_an_external_broker_gets_every_frame_at_QoS_1_between_the_bursts_start_and_end()
    {
        await using var gateway = TestGateway.Create();
        gateway.AddBadge("alice");
        gateway.AddBadge("bob");
        gateway.AddChannel(1, 8000, "alice", "bob");
        await using var broker = await MosquittoBroker.StartAsync(gateway.Secrets);
        await gateway.StartOnAsync(broker);
        await using var alice = await ConnectAnnouncedAsync(broker.Port, "alice", gateway.Secrets);
        await using var bob = await ConnectAnnouncedAsync(broker.Port, "bob", gateway.Secrets);

        var grant = Assert.IsType<FloorGranted>(await alice.RequestFloorAsync(1));
        await alice.TalkAsync(grant, 20);
        await bob.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId, timeoutMs: 10_000);

        Assert.Equal(Enumerable.Range(0, 20).Select(i => (ushort)i), bob.FramesOf(grant.BurstId).Select(f => f.Sequence));
        Assert.All(bob.AudioQos, qos => Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, qos));
        // What Bob received, in order: each control message by its type, each frame as "audio".
        var received = new List<string>();
        var control = bob.Control.ToList();
        var nextControl = 0;
        foreach (var topic in bob.Topics)
        {
            received.Add(topic.EndsWith("/audio", StringComparison.Ordinal) ? "audio" : MessageType.Name(control[nextControl++].Type));
        }

        var start = received.IndexOf(MessageType.Name(MessageType.BurstStart));
        var end = received.LastIndexOf(MessageType.Name(MessageType.BurstEnd));
        Assert.True(start >= 0 && end > start, string.Join(" ", received));
        Assert.Equal(Enumerable.Repeat("audio", 20), received.Skip(start + 1).Take(end - start - 1));
    }

    private static async Task<TestBadge> ConnectAnnouncedAsync(int port, string id, IReadOnlyDictionary<string, string> secrets)
    {
        var badge = await TestBadge.ConnectAsync(port, id, secrets[id]);
        await badge.SendStateAsync(BadgeStatus.Idle);
        await badge.WaitForAsync<Config>(timeoutMs: 10_000);
        return badge;
    }
}
