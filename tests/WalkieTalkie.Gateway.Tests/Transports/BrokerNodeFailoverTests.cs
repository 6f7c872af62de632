using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Transports;

/// <summary>
/// A gateway given several broker nodes (<c>Mqtt:ExternalNodes</c>) connects to the first that answers and moves to
/// the next when its node dies, and serves the badges there. Two independent Mosquittos stand in for a cluster's
/// nodes (the 3-node RabbitMQ cluster is <c>ClusterFailoverTests</c>').
/// </summary>
public sealed class BrokerNodeFailoverTests
{
    [Fact]
    public async Task A_gateway_whose_broker_node_dies_moves_to_the_next_node_and_serves_the_badges_there()
    {
        await using var gateway = TestGateway.Create();
        gateway.AddBadge("alice");
        gateway.AddBadge("bob");
        gateway.AddBadge("carol");
        gateway.AddChannel(1, 8000, "alice", "bob", "carol");
        var password = Guid.NewGuid().ToString("N");
        var first = await MosquittoBroker.StartAsync(gateway.Secrets, password);
        await using var second = await MosquittoBroker.StartAsync(gateway.Secrets, password);
        gateway.Mqtt.ExternalNodes = $"127.0.0.1:{first.Port}, 127.0.0.1:{second.Port}";
        await gateway.StartOnAsync(first);
        // Served on the first node: Carol's config comes from the gateway through it. (Alice and Bob come later: a badge
        // whose node died unseen stays online for the gateway and is sent nothing again.)
        await (await ConnectAnnouncedAsync(first.Port, "carol", gateway.Secrets)).DisposeAsync();

        await first.DisposeAsync();

        Assert.True(await Eventually.TrueAsync(() => gateway.Log.Contains($"Connected to external broker 127.0.0.1:{second.Port}"), 20_000),
            string.Join("\n", gateway.Log.Lines));
        await using var alice = await ConnectAnnouncedAsync(second.Port, "alice", gateway.Secrets);
        await using var bob = await ConnectAnnouncedAsync(second.Port, "bob", gateway.Secrets);
        var grant = Assert.IsType<FloorGranted>(await alice.RequestFloorAsync(1));
        await alice.TalkAsync(grant, 5);
        await bob.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId, timeoutMs: 10_000);
        Assert.Equal([0, 1, 2, 3, 4], bob.FramesOf(grant.BurstId).Select(f => (int)f.Sequence));
    }

    [Fact]
    public async Task A_gateway_starts_on_the_next_node_when_the_first_does_not_answer()
    {
        await using var gateway = TestGateway.Create();
        gateway.AddBadge("alice");
        gateway.AddChannel(1, 8000, "alice");
        await using var broker = await MosquittoBroker.StartAsync(gateway.Secrets);
        var nobody = FreePort.Next();
        gateway.Mqtt.ExternalNodes = $"127.0.0.1:{nobody},127.0.0.1:{broker.Port}";
        await gateway.StartOnAsync(broker);

        Assert.True(gateway.Log.Contains($"External broker node 127.0.0.1:{nobody} unreachable, trying the next"));
        Assert.True(gateway.Log.Contains($"Connected to external broker 127.0.0.1:{broker.Port}"));
        await using var alice = await ConnectAnnouncedAsync(broker.Port, "alice", gateway.Secrets);
        Assert.IsType<FloorGranted>(await alice.RequestFloorAsync(1));
    }

    private static async Task<TestBadge> ConnectAnnouncedAsync(int port, string id, IReadOnlyDictionary<string, string> secrets)
    {
        var badge = await TestBadge.ConnectAsync(port, id, secrets[id]);
        await badge.SendStateAsync(BadgeStatus.Idle);
        await badge.WaitForAsync<Config>(timeoutMs: 10_000);
        return badge;
    }
}
