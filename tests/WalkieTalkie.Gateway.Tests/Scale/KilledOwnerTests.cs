using System.Diagnostics;
using WalkieTalkie.Gateway.Storage.Sql.Bridge;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Tests.Support.Postgres;
using WalkieTalkie.Gateway.Tests.Support.Scale;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Scale;

/// <summary>
/// Two <c>walkie run</c> gateways on one Mosquitto and one PostgreSQL, recordings on a folder both see (docs/scale.md,
/// failover): kill -9 of a channel's owner mid-burst moves the channel to the other within 5 s, the next burst is
/// served, and the killed burst's recording is recovered by the new owner, marked incomplete, and offered to the
/// Matrix bridge once.
/// </summary>
public sealed class KilledOwnerTests(PostgresClassDatabase database) : IClassFixture<PostgresClassDatabase>
{
    [Fact]
    public async Task Kill_9_of_the_owner_mid_burst_moves_the_channel_within_5_s_and_the_new_owner_recovers_the_cut_recording()
    {
        using var tables = database.Fresh();
        using var site = new SharedSite(tables, database.ConnectionString);
        site.AddBadge("alice");
        site.AddBadge("bob");
        site.AddChannel(1, "alice", "bob");
        new SqlMatrixLinks(tables, site.RecordingIndex).SaveChannel("ch1", "!room:test", "@admin:test");
        await using var broker = await MosquittoBroker.StartAsync(site.Secrets);
        await using var a = await site.StartGatewayAsync("gateway-a", broker.Port, MosquittoBroker.GatewayUser, broker.GatewayPassword);
        Assert.True(await Eventually.TrueAsync(() => site.LeaseOwner(1) == "gateway-a", 30_000), string.Join("\n", a.Output));
        await using var b = await site.StartGatewayAsync("gateway-b", broker.Port, MosquittoBroker.GatewayUser, broker.GatewayPassword);
        await using var alice = await site.ConnectBadgeAsync(broker.Port, "alice");
        await using var bob = await site.ConnectBadgeAsync(broker.Port, "bob");

        var first = Assert.IsType<FloorGranted>(await alice.RequestFloorAsync(1));
        await alice.TalkAsync(first, 25, release: false, gapMs: 20);
        Assert.True(await Eventually.TrueAsync(() => bob.FramesOf(first.BurstId).Count == 25, 10_000));
        // Every frame is in a's file (handed to the OS one by one) before it dies.
        Assert.True(await Eventually.TrueAsync(() => site.BlocksOnDisk(first.BurstId) == 25, 10_000));

        var killed = Stopwatch.StartNew();
        await a.KillAsync();
        Assert.True(await Eventually.TrueAsync(() => site.LeaseOwner(1) == "gateway-b", 15_000), string.Join("\n", b.Output));
        Assert.True(killed.Elapsed < TimeSpan.FromSeconds(5), $"the channel moved {killed.Elapsed} after the kill");

        // The next burst is served (by b: a is dead), every frame heard once.
        var next = Assert.IsType<FloorGranted>(await alice.PressForFloorAsync(1));
        Assert.True(next.BurstId > first.BurstId);
        await alice.TalkAsync(next, 8);
        await bob.WaitForAsync<BurstEnd>(e => e.BurstId == next.BurstId, timeoutMs: 10_000);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (ushort)i), bob.FramesOf(next.BurstId).Select(f => f.Sequence));

        // The cut burst: recovered by b from the shared folder with the shared key, whole up to the kill, marked incomplete.
        Assert.True(await Eventually.TrueAsync(() => b.Output.Any(l => l.Contains($"Recovered burst {first.BurstId}")), 10_000),
            string.Join("\n", b.Output));
        var recovered = site.RecordingIndex.Get(first.BurstId)!;
        Assert.False(recovered.Complete);
        Assert.DoesNotContain(site.RecordingIndex.Unfinished(), r => r.BurstId == first.BurstId);
        Assert.Equal(25, recovered.FramesReceived);
        var audio = site.Reader.Read(recovered.Path);
        Assert.True(audio.Finished);
        Assert.Equal(25, audio.BlockCount);
        Assert.True(await Eventually.TrueAsync(() => site.RecordingIndex.Get(next.BurstId) is { Complete: true }, 10_000));

        // What the channel's Matrix bridge is offered, wherever it runs: the cut burst once, then the next one.
        var feed = new SqlBurstFeed(tables);
        var offered = (await feed.PeekAsync("ch1", CancellationToken.None))!;
        Assert.Equal(first.BurstId, offered.BurstId);
        Assert.True(offered.Incomplete);
        await feed.AcknowledgeAsync(offered, CancellationToken.None);
        var then = (await feed.PeekAsync("ch1", CancellationToken.None))!;
        Assert.Equal(next.BurstId, then.BurstId);
        Assert.False(then.Incomplete);
        await feed.AcknowledgeAsync(then, CancellationToken.None);
        Assert.Null(await feed.PeekAsync("ch1", CancellationToken.None));
    }
}
