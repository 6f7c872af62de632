using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Postgres;
using WalkieTalkie.Gateway.Tests.Support.Postgres;

namespace WalkieTalkie.Gateway.Tests.Storage;

/// <summary>Channel leases in PostgreSQL: two gateways on one database, one channel owner at a time.</summary>
public sealed class ChannelLeaseTests(PostgresClassDatabase database) : IClassFixture<PostgresClassDatabase>, IDisposable
{
    private static readonly byte[] Channels = [1, 2, 3];
    private readonly List<PostgresDatabase> _opened = [database.Fresh()];

    private PostgresChannelLeases Gateway(string name, out PostgresDatabase connection)
    {
        connection = database.Open();
        _opened.Add(connection);
        return new PostgresChannelLeases(connection, name);
    }

    private PostgresChannelLeases Gateway(string name) => Gateway(name, out _);

    [Fact]
    public void A_channel_stays_with_its_holder_until_it_lets_go_or_its_lease_runs_out()
    {
        var a = Gateway("a");
        var b = Gateway("b");
        Assert.Equal(new byte[] { 1, 2 }, a.Hold(new byte[] { 1, 2 }, TimeSpan.FromMinutes(1)).Order());
        Assert.Equal(new byte[] { 3 }, b.Hold(Channels, TimeSpan.FromMinutes(1)).Order());
        Assert.Equal(new byte[] { 1, 2 }, a.Hold(new byte[] { 1, 2 }, TimeSpan.FromMinutes(1)).Order());

        a.Release();
        Assert.Equal(Channels, b.Hold(Channels, TimeSpan.FromMinutes(1)).Order());
        Assert.Empty(a.Hold(Channels, TimeSpan.FromMinutes(1)));

        Assert.Equal(new byte[] { 4 }, a.Hold(new byte[] { 4 }, TimeSpan.FromMilliseconds(100)).Order());
        Assert.Empty(b.Hold(new byte[] { 4 }, TimeSpan.FromMinutes(1)));
        Thread.Sleep(300); // the database's clock decides when a lease ran out
        Assert.Equal(new byte[] { 4 }, b.Hold(new byte[] { 4 }, TimeSpan.FromMinutes(1)).Order());
        Assert.Empty(a.Hold(new byte[] { 4 }, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Gateways_asking_at_once_never_both_get_a_channel()
    {
        var a = Gateway("a");
        var b = Gateway("b");
        for (var round = 0; round < 20; round++)
        {
            var channels = Enumerable.Range(10 * round, 10).Select(c => (byte)c).ToArray();
            var both = await Task.WhenAll(Task.Run(() => a.Hold(channels, TimeSpan.FromMinutes(1))),
                Task.Run(() => b.Hold(channels, TimeSpan.FromMinutes(1))));
            Assert.Empty(both[0].Intersect(both[1]));
            Assert.Equal(channels, both[0].Union(both[1]).Order());
        }
    }

    [Fact]
    public async Task A_dead_gateways_channels_move_to_a_live_one_within_5_s_and_are_never_owned_twice()
    {
        var a = new ChannelOwnership(Gateway("a", out var aConnection), TimeProvider.System, NullLogger<ChannelOwnership>.Instance);
        var b = new ChannelOwnership(Gateway("b"), TimeProvider.System, NullLogger<ChannelOwnership>.Instance);
        using var stopping = new CancellationTokenSource();
        var aRuns = Task.Run(() => a.RunAsync(() => Channels, stopping.Token));
        await Until(() => Channels.All(a.Owns), TimeSpan.FromSeconds(10), a, b);
        var bRuns = Task.Run(() => b.RunAsync(() => Channels, stopping.Token));

        // Both renew for a while: a keeps every channel.
        await Until(() => false, 3 * ChannelOwnership.LeaseDuration, a, b);
        Assert.True(Channels.All(a.Owns));
        Assert.DoesNotContain(Channels, b.Owns);

        // a can no longer reach the database (as if its process was killed or cut off): it never lets go cleanly.
        var killed = Stopwatch.StartNew();
        aConnection.Dispose();
        await Until(() => Channels.All(b.Owns), TimeSpan.FromSeconds(10), a, b);
        Assert.True(killed.Elapsed < TimeSpan.FromSeconds(5), $"the channels moved after {killed.Elapsed}");
        Assert.DoesNotContain(Channels, a.Owns);

        await stopping.CancelAsync();
        await Task.WhenAll(aRuns, bRuns);
        Assert.DoesNotContain(Channels, b.Owns);
        Assert.Equal(Channels, Gateway("c").Hold(Channels, TimeSpan.FromMinutes(1)).Order()); // b let go when it stopped
    }

    [Fact]
    public void A_second_process_with_the_same_id_is_refused_until_the_first_lets_go_or_its_hold_runs_out()
    {
        var first = Gateway("a");
        var second = Gateway("a");
        Assert.Equal(new byte[] { 1, 2 }, first.Hold(new byte[] { 1, 2 }, TimeSpan.FromMinutes(1)).Order());

        var refused = Assert.Throws<GatewayIdInUseException>(() => second.Hold(Channels, TimeSpan.FromMinutes(1)));
        Assert.Equal("a", refused.GatewayId);
        Assert.Contains("another gateway with the id 'a' is running on PostgreSQL", refused.Message);
        Assert.Equal(new byte[] { 1, 2 }, first.Hold(new byte[] { 1, 2 }, TimeSpan.FromMinutes(1)).Order()); // still the first's

        first.Release();
        Assert.Equal(Channels, second.Hold(Channels, TimeSpan.FromMilliseconds(100)).Order());
        Assert.Throws<GatewayIdInUseException>(() => first.Hold(Channels, TimeSpan.FromMinutes(1)));
        Thread.Sleep(300); // the second stopped renewing (as if killed): the database's clock frees the id
        Assert.Equal(Channels, first.Hold(Channels, TimeSpan.FromMinutes(1)).Order());
    }

    [Fact]
    public async Task A_gateway_whose_id_is_held_by_a_live_process_refuses_to_start_once_a_killed_ones_hold_would_have_run_out()
    {
        var running = Gateway("a");
        running.Hold(Channels, TimeSpan.FromMinutes(1));
        var starting = new ChannelOwnership(Gateway("a"), TimeProvider.System, NullLogger<ChannelOwnership>.Instance);

        var waited = Stopwatch.StartNew();
        await Assert.ThrowsAsync<GatewayIdInUseException>(() => starting.StartAsync(Channels, CancellationToken.None));
        Assert.True(waited.Elapsed >= ChannelOwnership.LeaseDuration, $"refused after {waited.Elapsed}");
        Assert.DoesNotContain(Channels, starting.Owns);

        // A killed process's hold runs out while the new one with its id waits: the new one starts, holding its channels.
        byte[] others = [7, 8];
        Gateway("b").Hold(others, TimeSpan.FromSeconds(1));
        var restarted = new ChannelOwnership(Gateway("b"), TimeProvider.System, NullLogger<ChannelOwnership>.Instance);
        await restarted.StartAsync(others, CancellationToken.None);
        Assert.True(others.All(restarted.Owns));
    }

    [Fact]
    public async Task The_bridges_lease_goes_to_one_gateway_at_a_time_apart_from_the_channels_and_only_with_its_id_held()
    {
        var a = Gateway("a");
        var b = Gateway("b");
        Assert.False(a.HoldBridge(TimeSpan.FromMinutes(1))); // the id is not held yet: nothing is taken
        a.Hold(new byte[] { 1 }, TimeSpan.FromMinutes(1));
        b.Hold(new byte[] { 2 }, TimeSpan.FromMinutes(1));
        var both = await Task.WhenAll(Task.Run(() => a.HoldBridge(TimeSpan.FromMilliseconds(300))), Task.Run(() => b.HoldBridge(TimeSpan.FromMinutes(1))));
        Assert.Single(both, held => held);
        var holder = both[0] ? a : b;
        var other = both[0] ? b : a;
        Assert.True(holder.HoldBridge(TimeSpan.FromMilliseconds(300)));
        Assert.False(other.HoldBridge(TimeSpan.FromMinutes(1)));
        Assert.Equal(new byte[] { 1, 3 }, a.Hold(Channels, TimeSpan.FromMinutes(1)).Order()); // the channels go by their own leases
        Assert.Equal(new byte[] { 2 }, b.Hold(Channels, TimeSpan.FromMinutes(1)).Order());

        Thread.Sleep(500); // the database's clock decides when the lease ran out
        Assert.True(other.HoldBridge(TimeSpan.FromMinutes(1)));
        Assert.False(holder.HoldBridge(TimeSpan.FromMinutes(1)));
        other.Release();
        Assert.True(holder.HoldBridge(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void A_single_gateway_holds_every_channel()
    {
        var single = new ChannelOwnership(new SingleGatewayLeases(), TimeProvider.System, NullLogger<ChannelOwnership>.Instance);
        Assert.False(single.Owns(1));
        Assert.Equal(Channels, single.Renew(Channels).Order());
        Assert.True(Channels.All(single.Owns));
        Assert.False(single.Owns(4));
    }

    // Waits for the condition (or the time), checking all along that no channel is owned by both.
    private static async Task Until(Func<bool> condition, TimeSpan limit, ChannelOwnership a, ChannelOwnership b)
    {
        var waited = Stopwatch.StartNew();
        while (!condition() && waited.Elapsed < limit)
        {
            Assert.DoesNotContain(Channels, c => a.Owns(c) && b.Owns(c));
            await Task.Delay(5);
        }
    }

    public void Dispose()
    {
        foreach (var opened in _opened)
        {
            opened.Dispose();
        }
    }
}
