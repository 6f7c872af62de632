using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Postgres;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Tests.Support.Postgres;
using Xunit.Abstractions;

namespace WalkieTalkie.Gateway.Tests.Storage;

/// <summary>The tests that starve the test process's thread pool: run alone, after the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StarvedPoolCollection
{
    public const string Name = "starved thread pool";
}

/// <summary>
/// A gateway's leases while its thread pool is starved (a loaded machine, a component flooding the pool): the renewals
/// and the bridge's stop do not wait for a pool thread, so the gateway keeps its channels and the bridge's lease while
/// the database answers, and when the database is cut off the bridge is told to stop before the lease's end. Nothing is
/// awaited while the pool is starved: the test watches from its own thread, blocking.
/// </summary>
[Collection(StarvedPoolCollection.Name)]
public sealed class StarvedPoolLeaseTests(PostgresClassDatabase database, ITestOutputHelper output) : IClassFixture<PostgresClassDatabase>, IDisposable
{
    private static readonly ChannelRecord[] Channels = [new(1, "yard", 8000, 30), new(2, "dock", 8000, 30)];
    private static readonly TimeSpan Starved = 3 * ChannelOwnership.LeaseDuration;
    private readonly List<IDisposable> _opened = [database.Fresh()];
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _renewing = [];

    [Fact]
    public void A_gateway_keeps_its_channels_and_the_bridges_lease_while_the_thread_pool_is_starved()
    {
        var (ownership, bridge, timed) = Gateway(database.ConnectionString);
        Assert.True(WaitFor(() => Owned(ownership) && bridge.Held, TimeSpan.FromSeconds(20)), "the leases were never taken");

        TimeSpan? channelsLost = null;
        TimeSpan? bridgeLost = null;
        long from;
        long until;
        using (new StarvedThreadPool())
        {
            from = Stopwatch.GetTimestamp();
            var starved = Stopwatch.StartNew();
            while (starved.Elapsed < Starved)
            {
                channelsLost ??= Owned(ownership) ? null : starved.Elapsed;
                bridgeLost ??= bridge.Held ? null : starved.Elapsed;
                Thread.Sleep(10);
            }

            until = Stopwatch.GetTimestamp();
        }

        var channels = timed.ChannelRenewals(from, until);
        var bridgeRenewals = timed.BridgeRenewals(from, until);
        output.WriteLine($"pool starved for {Starved.TotalSeconds} s, renewals due every {ChannelOwnership.RenewEvery.TotalMilliseconds} ms. " +
            $"Channels: lost {After(channelsLost)}; {channels}. The bridge's lease: lost {After(bridgeLost)}; {bridgeRenewals}");

        // Renewals are asked on time whatever the pool does (on the pool: none in the whole time). Generous: 3 periods.
        var limit = 3 * ChannelOwnership.RenewEvery.TotalMilliseconds;
        Assert.True(channels.LongestHeldBack < limit, $"the channels' renewals were held back for {channels.LongestHeldBack:0} ms");
        Assert.True(bridgeRenewals.LongestHeldBack < limit, $"the bridge lease's renewals were held back for {bridgeRenewals.LongestHeldBack:0} ms");

        // So the gateway keeps both, unless the database itself took longer than a renewal's slack to answer (then losing
        // them is right: the lease counts from before it asked).
        if (Math.Max(channels.LongestCall, bridgeRenewals.LongestCall) < ChannelOwnership.RenewEvery.TotalMilliseconds)
        {
            Assert.Null(channelsLost);
            Assert.Null(bridgeLost);
        }
    }

    [Fact]
    public void A_gateway_cut_off_from_its_database_while_the_pool_is_starved_stops_its_bridge_before_the_lease_ends()
    {
        using var link = new CuttableLink(new NpgsqlConnectionStringBuilder(database.ConnectionString).Port);
        var throughLink = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = link.Port }.ConnectionString;
        var (ownership, bridge, _) = Gateway(throughLink);
        Assert.True(WaitFor(() => Owned(ownership) && bridge.Held, TimeSpan.FromSeconds(20)), "the leases were never taken");

        using var held = new CancellationTokenSource();
        long? stoppedAt = null;
        long stopBy = 0;
        bool? onThePool = null;
        using var watch = bridge.CancelWhenEnding(held, () =>
        {
            stoppedAt = Stopwatch.GetTimestamp();
            onThePool = Thread.CurrentThread.IsThreadPoolThread;
        });
        using (new StarvedThreadPool())
        {
            link.Cut();
            var waited = Stopwatch.StartNew();
            while (!held.IsCancellationRequested && waited.Elapsed < Starved)
            {
                // The lease's end less the margin, as last renewed (the renewals fail from the cut on).
                stopBy = bridge.HeldUntil;
                Thread.Sleep(5);
            }

        }

        var late = stoppedAt is { } at ? (at - stopBy) * 1000.0 / Stopwatch.Frequency : (double?)null;
        output.WriteLine(late is { } ms
            ? $"the bridge was halted {ms:0} ms after the lease's end less the {BridgeLease.StopMargin.TotalMilliseconds} ms margin (on the thread pool: {onThePool})"
            : $"the bridge was not halted within {Starved.TotalSeconds} s of the cut");
        Assert.NotNull(late);
        Assert.True(held.IsCancellationRequested, "the bridge was halted but its token not cancelled");
        Assert.True(late < BridgeLease.StopMargin.TotalMilliseconds, $"the bridge was halted {late:0} ms after its time: past the lease's end");
        Assert.True(WaitFor(() => !Owned(ownership), TimeSpan.FromSeconds(5)), "the channels were kept without the database");
    }

    private (ChannelOwnership Ownership, BridgeLease Bridge, TimedLeases Timed) Gateway(string connectionString)
    {
        var connection = new PostgresDatabase(connectionString);
        _opened.Add(connection);
        var timed = new TimedLeases(new PostgresChannelLeases(connection, "a"));
        var ownership = new ChannelOwnership(timed, TimeProvider.System, NullLogger<ChannelOwnership>.Instance);
        var registry = new CurrentRegistry();
        registry.Set(new RegistrySnapshot(1, [], Channels, [], []));
        var bridge = new BridgeLease(ownership, timed, registry, TimeProvider.System, NullLogger.Instance);
        _renewing.Add(ownership.RunAsync(() => Channels.Select(c => c.Number).ToArray(), _stopping.Token));
        _renewing.Add(bridge.RenewAsync(_stopping.Token));
        return (ownership, bridge, timed);
    }

    private static bool Owned(ChannelOwnership ownership) => Channels.All(c => ownership.Owns(c.Number));

    private static string After(TimeSpan? lost) => lost is { } after ? $"after {after.TotalMilliseconds:0} ms" : "never";

    private static bool WaitFor(Func<bool> condition, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > limit)
            {
                return false;
            }

            Thread.Sleep(10);
        }

        return true;
    }

    public void Dispose()
    {
        _stopping.Cancel();
        // The renewing threads end (letting the leases go) before their database is closed.
        Task.WaitAll([.. _renewing], TimeSpan.FromSeconds(30));
        foreach (var opened in _opened)
        {
            opened.Dispose();
        }

        _stopping.Dispose();
    }
}
