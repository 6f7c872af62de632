using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Sites;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Postgres;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Tests.Support.Postgres;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Scale;

/// <summary>
/// Two gateways on one broker (Mosquitto) sharing one PostgreSQL database by configuration alone
/// (<c>Storage:Provider = postgres</c>, docs/scale.md): both hear every badge, only the owner of a channel answers and
/// carries its bursts, and a gateway that loses a channel's lease ends its burst at once while the new owner serves
/// the next one.
/// </summary>
public sealed class SharedBrokerTests(PostgresClassDatabase database) : IClassFixture<PostgresClassDatabase>, IAsyncLifetime
{
    private PostgresDatabase _registry = null!;
    private TestGateway _a = null!;
    private TestGateway _b = null!;
    private PostgresDatabase _aConnection = null!;
    private readonly Dictionary<TestGateway, BadgeNotices> _notices = [];

    public async Task InitializeAsync()
    {
        _registry = database.Fresh();
        _a = OnSharedDatabase("a");
        SharedRegistry.Provision(_registry, _a); // the broker checks the badges' secrets (a's)
        await _a.StartAsync(BrokerKind.Mosquitto);
        _aConnection = _a.Host.Services.GetRequiredService<PostgresDatabase>();
        // Started second, b finds every channel held by a.
        _b = OnSharedDatabase("b");
        await _b.StartOnAsync(_a.Mosquitto!, _b.Services);
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
        _registry.Dispose();
    }

    // Both gateways run on the class's database with their own ids (Sites:GatewayId) and MQTT client ids.
    private TestGateway OnSharedDatabase(string id)
    {
        var gateway = TestGateway.Create();
        gateway.Storage = new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = database.ConnectionString };
        gateway.Mqtt.ExternalClientId = "gateway-" + id;
        var notices = new BadgeNotices();
        _notices[gateway] = notices;
        gateway.Services = services =>
        {
            services.PostConfigure<SiteOptions>(o => o.GatewayId = id);
            services.AddSingleton<IGatewayObserver>(notices);
        };
        return gateway;
    }

    private static ChannelOwnership Ownership(TestGateway gateway) => gateway.Host.Services.GetRequiredService<ChannelOwnership>();

    [Fact]
    public async Task Only_the_owner_of_a_channel_answers_and_carries_its_bursts()
    {
        Assert.True(Ownership(_a).Owns(1));
        Assert.False(Ownership(_b).Owns(1));
        var alice = await _a.ConnectAsync("alice");
        var bob = await _a.ConnectAsync("bob");

        var grant = Assert.IsType<FloorGranted>(await alice.RequestFloorAsync(1));
        await alice.TalkAsync(grant, 10);
        await bob.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId);
        await alice.RequestFloorAsync(2); // one more round trip: time for a second gateway's answer to the first to arrive

        Assert.Single(alice.Control.OfType<FloorGranted>(), g => g.Channel == 1);
        Assert.DoesNotContain(alice.Control, m => m is FloorDenied);
        Assert.Single(bob.Control.OfType<BurstStart>(), s => s.BurstId == grant.BurstId);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (ushort)i), bob.FramesOf(grant.BurstId).Select(f => f.Sequence));
        Assert.False(_b.Log.Contains("Floor granted"));
    }

    [Fact]
    public async Task A_gateway_that_loses_a_channel_ends_its_burst_at_once_and_the_new_owner_serves_the_next()
    {
        var (alice, bob, first) = await BurstInProgressAsync();

        // As when a stalls past its lease and b takes the channel: the row now names b, for longer than a test.
        TakeLease(channel: 1, owner: "b");

        var revoked = await alice.WaitForAsync<FloorRevoked>(r => r.BurstId == first.BurstId);
        Assert.Equal(EndReason.LeaseLost, revoked.Reason);
        var ended = await bob.WaitForAsync<BurstEnd>(e => e.BurstId == first.BurstId);
        Assert.Equal((ushort)5, ended.FrameCount);
        Assert.True(await Eventually.TrueAsync(() => Ownership(_b).Owns(1)));
        Assert.False(Ownership(_a).Owns(1));
        Assert.True(Ownership(_a).Owns(2)); // the other channel stays where it was

        await NextBurstServedByBAsync(alice, bob, first);
    }

    [Fact]
    public async Task When_the_owner_is_cut_off_mid_burst_the_other_gateway_owns_the_channel_within_5_s_and_serves_the_next_burst()
    {
        var (alice, bob, first) = await BurstInProgressAsync();

        // a can no longer reach the database (as if it froze or was cut off): it never lets go cleanly.
        var cut = Stopwatch.StartNew();
        _aConnection.Dispose();
        Assert.True(await Eventually.TrueAsync(() => Ownership(_b).Owns(1) && Ownership(_b).Owns(2), 10_000));
        Assert.True(cut.Elapsed < TimeSpan.FromSeconds(5), $"the channels moved after {cut.Elapsed}");
        Assert.False(Ownership(_a).Owns(1));
        Assert.Equal(EndReason.LeaseLost, (await alice.WaitForAsync<FloorRevoked>(r => r.BurstId == first.BurstId)).Reason);
        await bob.WaitForAsync<BurstEnd>(e => e.BurstId == first.BurstId);

        await NextBurstServedByBAsync(alice, bob, first);
    }

    [Fact]
    public async Task A_gateway_started_with_a_running_gateways_id_is_refused_with_a_clear_error()
    {
        await using var twin = OnSharedDatabase("a");

        var refused = await Assert.ThrowsAsync<GatewayIdInUseException>(() => twin.StartOnAsync(_a.Mosquitto!, twin.Services));

        Assert.Contains("another gateway with the id 'a' is running on PostgreSQL", refused.Message);
        Assert.True(Ownership(_a).Owns(1) && Ownership(_a).Owns(2));
    }

    [Fact]
    public async Task A_badges_own_work_is_done_once_by_the_owner_of_its_first_channel_and_moves_with_its_lease()
    {
        var alice = await _a.ConnectAsync("alice");
        await alice.SendAsync(new BadgeState { Status = BadgeStatus.Idle, Channel = 1, BatteryPercent = 5, Firmware = "test" });
        await alice.SendAsync(new Emergency { Open = true });
        await alice.WaitForAsync<EmergencyState>(e => e.Open);
        await alice.RequestFloorAsync(2); // one more round trip: time for a second gateway's answers to arrive
        // b learns of the emergency from the shared registry, without announcing it.
        Assert.True(await Eventually.TrueAsync(() => _b.Host.Engine.Emergencies.ContainsKey("alice")));

        Assert.Equal(["alice"], _notices[_a].EmergenciesOpened);
        Assert.Equal(["alice"], _notices[_a].LowBatteries);
        Assert.Empty(_notices[_b].EmergenciesOpened);
        Assert.Empty(_notices[_b].LowBatteries);
        Assert.Single(alice.Control.OfType<EmergencyState>());
        Assert.Single(alice.Control.TakeWhile(m => m is not EmergencyState).OfType<Config>()); // the config she came online with, once

        // Channel 1, alice's first, moves to b: b now does her own work (it sends her config at once, in case she came
        // online while the channel was between owners), and a stays silent.
        var moved = alice.Control.Count;
        TakeLease(channel: 1, owner: "b");
        Assert.True(await Eventually.TrueAsync(() => Ownership(_b).Owns(1) && !Ownership(_a).Owns(1)));
        await alice.WaitForAsync<Config>(skip: moved);
        var before = alice.Control.Count;
        await alice.SendAsync(new Emergency { Open = false });
        await alice.WaitForAsync<EmergencyState>(e => !e.Open, skip: before);
        Assert.True(await Eventually.TrueAsync(() => !_a.Host.Engine.Emergencies.ContainsKey("alice")));
        await alice.RequestFloorAsync(1);

        Assert.Equal([("alice", "badge")], _notices[_b].EmergenciesClosed);
        Assert.Empty(_notices[_a].EmergenciesClosed);
        Assert.Single(alice.Control.Skip(before).OfType<EmergencyState>());
    }

    // Alice talks on channel 1 (a's) and Bob has heard the first 5 frames.
    private async Task<(TestBadge Alice, TestBadge Bob, FloorGranted Grant)> BurstInProgressAsync()
    {
        var alice = await _a.ConnectAsync("alice");
        var bob = await _a.ConnectAsync("bob");
        var grant = Assert.IsType<FloorGranted>(await alice.RequestFloorAsync(1));
        await alice.TalkAsync(grant, 5, release: false);
        Assert.True(await Eventually.TrueAsync(() => bob.FramesOf(grant.BurstId).Count == 5));
        return (alice, bob, grant);
    }

    // After channel 1 moved to b: Alice's next request is granted once, by b, and Bob hears every frame once.
    private async Task NextBurstServedByBAsync(TestBadge alice, TestBadge bob, FloorGranted first)
    {
        var before = alice.Control.Count;
        var next = Assert.IsType<FloorGranted>(await alice.RequestFloorAsync(1));
        Assert.NotEqual(first.BurstId, next.BurstId);
        await alice.TalkAsync(next, 8);
        await bob.WaitForAsync<BurstEnd>(e => e.BurstId == next.BurstId);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (ushort)i), bob.FramesOf(next.BurstId).Select(f => f.Sequence));
        Assert.Single(alice.Control.Skip(before).OfType<FloorGranted>());
        Assert.True(_b.Log.Contains("Floor granted", "channel 1", "alice"));
    }

    private void TakeLease(byte channel, string owner)
    {
        using var connection = new NpgsqlConnection(database.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(
            "UPDATE channel_leases SET owner = @owner, expires_at = clock_timestamp() + interval '1 minute' WHERE channel = @channel",
            connection);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("channel", (long)channel);
        Assert.Equal(1, command.ExecuteNonQuery());
    }
}
