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
