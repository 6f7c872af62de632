using System.Diagnostics;
using MQTTnet.Exceptions;
using WalkieTalkie.Gateway.Storage.Postgres;
using WalkieTalkie.Gateway.Storage.Sql.Bridge;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Tests.Support.Scale;
using WalkieTalkie.Protocol.Control;
using Xunit.Abstractions;

namespace WalkieTalkie.Gateway.Tests.Scale;

/// <summary>
/// The scaled-out site of issue 15 on one machine (docs/scale.md): three RabbitMQ nodes and PostgreSQL as
/// <c>scripts/cluster</c> starts them, two <c>walkie run</c> gateways (the channel's owner on node 3, the other on node
/// 2, each given every node), badges on all three nodes. A burst reaches listeners on every node; kill -9 of node 3
/// leaves every badge served (its badge reconnects to another node and finds its session; the owner moves to the next
/// of its nodes by itself); kill -9 of the channel's owner mid-burst moves the channel within 5 s, the next burst is
/// served and the cut burst's recording is recovered, marked incomplete and offered to the bridge once.
/// </summary>
/// <remarks>
/// Category Cluster: <c>scripts/test</c> runs it as a step of its own, after the other suites; <c>scripts/cluster-test
/// [runs]</c> runs it alone. The gateways send a listener's audio at QoS 1 on this broker, on the same ordered path as
/// the burst's start and end (docs/scale.md): at QoS 0 a listener's frames could come after the burst's end, or never.
/// </remarks>
[Trait("Category", "Cluster")]
public sealed class ClusterFailoverTests(RabbitCluster cluster, ITestOutputHelper output) : IClassFixture<RabbitCluster>
{
    private readonly List<GatewayProcess> _gateways = [];
    private readonly List<TestBadge> _badges = [];

    [Fact]
    public async Task A_site_on_three_broker_nodes_serves_every_badge_through_a_node_killed_and_its_channels_owner_killed()
    {
        try
        {
            await RunAsync();
        }
        catch
        {
            // What the gateways logged and what each badge received, for finding which leg lost what.
            foreach (var gateway in _gateways)
            {
                output.WriteLine($"--- gateway {gateway.Id}\n" + string.Join("\n", gateway.Output));
            }

            foreach (var badge in _badges)
            {
                output.WriteLine($"--- badge {badge.Id}: " + string.Join(" ", badge.Topics.Select(t => t[(t.LastIndexOf('/') + 1)..])));
                output.WriteLine(string.Join("\n", badge.Control.Select(c => c.ToString())));
            }

            throw;
        }
    }

    private async Task RunAsync()
    {
        using var tables = new PostgresDatabase(cluster.PostgresConnectionString);
        using var site = new SharedSite(tables, cluster.PostgresConnectionString);
        foreach (var id in new[] { "alice", "bob", "carol" })
        {
            site.AddBadge(id);
        }

        site.AddChannel(1, "alice", "bob", "carol");
        new SqlMatrixLinks(tables, site.RecordingIndex).SaveChannel("ch1", "!room:test", "@admin:test");
        await cluster.AddBadgesAsync(site.Secrets);
        var (node1, node2, node3) = (cluster.MqttPorts[0], cluster.MqttPorts[1], cluster.MqttPorts[2]);
        // The channel's owner (a) is on node 3, the node lost below: it must move to another (node 1, next in its list).
        await using var a = await site.StartGatewayAsync("gateway-a", [node3, node1, node2], cluster.GatewayUser, cluster.GatewayPassword);
        Assert.True(await Eventually.TrueAsync(() => site.LeaseOwner(1) == "gateway-a", 30_000), string.Join("\n", a.Output));
        _gateways.Add(a);
        await using var b = await site.StartGatewayAsync("gateway-b", [node2, node3, node1], cluster.GatewayUser, cluster.GatewayPassword);
        _gateways.Add(b);
        await using var alice = await site.ConnectBadgeAsync(node1, "alice", mqtt311: true);
        await using var bob = await site.ConnectBadgeAsync(node2, "bob", mqtt311: true);
        var carolOnNode3 = await site.ConnectBadgeAsync(node3, "carol", mqtt311: true);
        _badges.AddRange([alice, bob, carolOnNode3]);

        // A burst from node 1 reaches the listeners on nodes 2 and 3, every frame once, in order.
        await BurstHeardAsync(alice, 10, bob, carolOnNode3);

        // Node 3 is lost, with Carol and the channel's owner on it: the owner moves to node 1 by itself, Carol reconnects
        // to node 1 without subscribing again, finds her session there and is served both ways.
        await cluster.KillNodeAsync(3);
        await carolOnNode3.DisposeAsync();
        Assert.True(await Eventually.TrueAsync(() => a.Output.Any(l => l.Contains($"Connected to external broker 127.0.0.1:{node1}")), 30_000),
            string.Join("\n", a.Output));
        await using var carol = await ReconnectAsync(site, node1, "carol");
        _badges.Add(carol);
        Assert.True(carol.SessionPresent);
        // Her will died with node 3, so the gateways never saw her leave: nothing is sent again, she is simply served.
        await carol.SendStateAsync(BadgeStatus.Idle);
        await BurstHeardAsync(alice, 10, bob, carol);
        await BurstHeardAsync(carol, 10, alice, bob);

        // The channel's owner (a) is killed mid-burst.
        var first = Assert.IsType<FloorGranted>(await alice.RequestFloorAsync(1));
        await alice.TalkAsync(first, 25, release: false, gapMs: 20);
        Assert.True(await Eventually.TrueAsync(() => bob.FramesOf(first.BurstId).Count == 25 && carol.FramesOf(first.BurstId).Count == 25, 10_000));
        Assert.True(await Eventually.TrueAsync(() => site.BlocksOnDisk(first.BurstId) == 25, 10_000));
        var killed = Stopwatch.StartNew();
        await a.KillAsync();
        Assert.True(await Eventually.TrueAsync(() => site.LeaseOwner(1) == "gateway-b", 15_000), string.Join("\n", b.Output));
        Assert.True(killed.Elapsed < TimeSpan.FromSeconds(5), $"the channel moved {killed.Elapsed} after the kill");

        var next = await BurstHeardAsync(alice, 8, bob, carol);
        Assert.True(next.BurstId > first.BurstId);

        Assert.True(await Eventually.TrueAsync(() => b.Output.Any(l => l.Contains($"Recovered burst {first.BurstId}")), 10_000),
            string.Join("\n", b.Output));
        var recovered = site.RecordingIndex.Get(first.BurstId)!;
        Assert.False(recovered.Complete);
        Assert.Equal(25, recovered.FramesReceived);
        var audio = site.Reader.Read(recovered.Path);
        Assert.True(audio.Finished);
        Assert.Equal(25, audio.BlockCount);

        // The channel's bridge is offered the cut burst once, in its place among the channel's bursts.
        var feed = new SqlBurstFeed(tables);
        var offered = new List<(uint BurstId, bool Incomplete)>();
        while (await feed.PeekAsync("ch1", CancellationToken.None) is { } burst)
        {
            offered.Add((burst.BurstId, burst.Incomplete));
            await feed.AcknowledgeAsync(burst, CancellationToken.None);
        }

        Assert.Single(offered, o => o.BurstId == first.BurstId);
        Assert.Contains((first.BurstId, true), offered);
        Assert.Equal(offered.Select(o => o.BurstId).Order(), offered.Select(o => o.BurstId));
        Assert.Contains((next.BurstId, false), offered);
    }

    // The talker takes the floor (pressing again after the badge's grant timeout, as a wearer does when a channel has
    // just moved: TestBadge.PressForFloorAsync) and talks; each listener hears every frame once, in order, and the
    // burst's end.
    private static async Task<FloorGranted> BurstHeardAsync(TestBadge talker, int frames, params TestBadge[] listeners)
    {
        var grant = Assert.IsType<FloorGranted>(await talker.PressForFloorAsync(1));
        await talker.TalkAsync(grant, frames);
        foreach (var listener in listeners)
        {
            await listener.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId, timeoutMs: 10_000);
            Assert.Equal(Enumerable.Range(0, frames).Select(i => (ushort)i), listener.FramesOf(grant.BurstId).Select(f => f.Sequence));
        }

        return grant;
    }

    // As a badge whose node died: it tries again (the cluster is electing the session's new leader meanwhile).
    private static async Task<TestBadge> ReconnectAsync(SharedSite site, int port, string id)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                return await TestBadge.ConnectAsync(port, id, site.Secrets[id], subscribe: false, mqtt311: true);
            }
            catch (Exception e) when (e is MqttCommunicationException or ConnectRefusedException or OperationCanceledException && DateTime.UtcNow < until)
            {
                await Task.Delay(500);
            }
        }
    }
}
