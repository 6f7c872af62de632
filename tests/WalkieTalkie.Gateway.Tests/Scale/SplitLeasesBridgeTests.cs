using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.MatrixBridge.Linking;
using WalkieTalkie.Gateway.Sites;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Sql;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Tests.Support.Scale;
using WalkieTalkie.Gateway.Tests.Support.Postgres;
using WalkieTalkie.Interop;
using WalkieTalkie.Media.Opus;
using WalkieTalkie.Protocol.Control;
using Xunit.Abstractions;

namespace WalkieTalkie.Gateway.Tests.Scale;

/// <summary>
/// Two gateways whose channels' leases are split (channel 1 on <c>a</c>, channel 2 on <c>b</c>, as when a channel
/// added while both run goes to the other), with the Matrix bridge on, one shared Matrix folder and one shared
/// recordings folder: the bridge keeps running on the gateway holding its own lease, each channel's bursts land in its
/// room once, and a phone's voice message in channel 2's room is handed to channel 2's owner and played there, once.
/// </summary>
public sealed class SplitLeasesBridgeTests(PostgresClassDatabase database, ITestOutputHelper output) : IClassFixture<PostgresClassDatabase>
{
    private const int Rate = 8000;

    [Fact]
    public async Task With_split_leases_the_bridge_runs_and_each_channels_bursts_and_a_phones_message_go_where_they_belong_once()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;
        using var registry = database.Fresh();
        await using var homeserver = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        await using var phone = await JsPeer.StartAsync("phone", output.WriteLine, cancellationToken: ct);
        var dad = await phone.RegisterAsync(homeserver.BaseUrl, "dad", "dad-password", cancellationToken: ct);
        await phone.StartClientAsync(DeviceIsolation.OnlySignedDevices, cancellationToken: ct);
        Assert.True(await phone.BootstrapCrossSigningAsync(password: "dad-password", cancellationToken: ct), "cross-signing is not ready on the phone");

        var (shared, matrix) = await SharedMatrixFolder.CreateAsync("wt-split-", homeserver.BaseUrl, ct);
        var a = OnSharedDatabase("a", shared, matrix);
        var b = OnSharedDatabase("b", shared, matrix);
        SharedRegistry.Provision(registry, a);
        var stores = SqlStores.Bridge(registry);
        var alicesAccount = await BadgeLinker.LinkAsync(stores, matrix, shared, "alice", "walkie-alice", "alice-badge-password", register: true,
            NullLogger.Instance, ct);
        var rooms = new Dictionary<byte, string>();
        foreach (byte channel in new[] { 1, 2 })
        {
            rooms[channel] = await phone.CreateRoomAsync($"Channel {channel}", [alicesAccount.UserId], encrypted: true, cancellationToken: ct);
            stores.Links.SaveChannel("ch" + channel, rooms[channel], dad.UserId);
        }

        await using (a)
        await using (b)
        {
            try
            {
                await RunAsync(a, b, phone, dad, alicesAccount.UserId, rooms, shared, ct);
            }
            finally
            {
                foreach (var (name, gateway) in new[] { ("a", a), ("b", b) })
                {
                    foreach (var line in gateway.Log.Lines)
                    {
                        output.WriteLine($"{name}: {line}");
                    }
                }
            }
        }

        Directory.Delete(shared, recursive: true);
    }

    private async Task RunAsync(TestGateway a, TestGateway b, JsPeer phone, PeerSession dad, string alicesUserId, Dictionary<byte, string> rooms,
        string shared, CancellationToken ct)
    {
        await a.StartAsync(BrokerKind.Mosquitto);
        // b, started once a runs the bridge, finds every channel, and the bridge, held by a (SharedBridgeTests says why).
        Assert.True(await Eventually.TrueAsync(() => Bridge(a) is not null, 30_000), "a's bridge did not start");
        await b.StartOnAsync(a.Mosquitto!, b.Services);
        foreach (var room in rooms.Values)
        {
            await phone.WaitForMembersAsync(room, [alicesUserId], timeout: TimeSpan.FromSeconds(60), cancellationToken: ct);
        }

        // The leases split: channel 2 is b's from now on; a keeps channel 1 and the bridge.
        TakeLease(channel: 2, owner: "b");
        Assert.True(await Eventually.TrueAsync(() => Owns(b, 2) && !Owns(a, 2) && Owns(a, 1), 10_000), "the leases did not split");
        await Task.Delay(ChannelOwnership.LeaseDuration + TimeSpan.FromSeconds(1), ct); // past the leases a held before
        Assert.NotNull(Bridge(a));
        Assert.Null(Bridge(b));

        var alice = await a.ConnectAsync("alice");
        var bob = await a.ConnectAsync("bob");

        // Each burst in its own room, from Alice's device, decryptable by the phone. Channel 2's burst comes once channel
        // 1's is in its room, when a's engine has nothing more to report: only the bridge's own look at the feed finds
        // a burst that b recorded.
        var onA = await BurstAsync(alice, bob, 1);
        Assert.True(a.Log.Contains("Floor granted", "channel 1", "alice"));
        await AssertPostedAsync(phone, rooms[1], alicesUserId, 1, onA, ct);
        var onB = await BurstAsync(alice, bob, 2);
        Assert.True(b.Log.Contains("Floor granted", "channel 2", "alice"));
        await AssertPostedAsync(phone, rooms[2], alicesUserId, 2, onB, ct);

        // Dad's phone may talk in channel 2's room: he grants it as the room's creator and consents as its owner.
        var stateKey = $"device/{dad.UserId}/{dad.DeviceId}";
        await phone.SendStateEventAsync(rooms[2], WalkieEventTypes.Permit, stateKey,
            new JsonObject { ["user_id"] = dad.UserId, ["device_id"] = dad.DeviceId, ["receive"] = true, ["send"] = true }, ct);
        await phone.SendStateEventAsync(rooms[2], WalkieEventTypes.Accept, stateKey,
            new JsonObject { ["user_id"] = dad.UserId, ["device_id"] = dad.DeviceId, ["receive"] = true }, ct);
        var dadsPhone = new DeviceKey(dad.UserId, dad.DeviceId);
        Assert.True(await Eventually.TrueAsync(() => Bridge(a)?.Bridges["ch2"].Room.RightsAt(dadsPhone, DateTimeOffset.UtcNow).MaySend == true, 30_000),
            "the bridge did not learn that dad's phone may send");

        var ogg = Path.Combine(shared, "dad.ogg");
        await File.WriteAllBytesAsync(ogg, OggOpusEncoder.Encode(Speech.Signal(seed: 21, seconds: 2, Rate), Rate), ct);
        var sent = await phone.SendVoiceMessageAsync(rooms[2], ogg, durationMs: 2000, waveform: new int[100], cancellationToken: ct);
        var played = await bob.WaitForAsync<BurstStart>(s => s.Channel == 2 && s.BurstId != onB, timeoutMs: 60_000);
        await bob.WaitForAsync<BurstEnd>(e => e.BurstId == played.BurstId, timeoutMs: 30_000);
        Assert.True(a.Log.Contains("handed to the channel's owner", played.BurstId.ToString()), "a did not hand the message to b");
        Assert.True(b.Log.Contains("waits again on channel 2", played.BurstId.ToString()), "b did not take the message");
        Assert.StartsWith("played", Bridge(a)!.IncomingEvents!.OutcomeOf(sent.EventId));
        await Task.Delay(TimeSpan.FromSeconds(3), ct); // room for a second play, or a post back to the room, to show

        Assert.Single(bob.Control.OfType<BurstStart>(), s => s.BurstId == played.BurstId);
        Assert.Equal(2, bob.Control.OfType<BurstStart>().Count(s => s.Channel == 2)); // Alice's burst and the message
        Assert.Single(bob.Control.OfType<BurstStart>(), s => s.Channel == 1);
        foreach (var room in rooms.Values)
        {
            Assert.Single(await phone.EventsAsync(room, sender: alicesUserId, type: "m.room.message", cancellationToken: ct));
        }

        // The bridge stayed with a: it may have stopped and started it again when a renewal came late on a loaded
        // machine (it stops 1 s before its lease's end, and starts again at the next renewal), but b never ran it.
        Assert.NotNull(Bridge(a));
        Assert.False(b.Log.Contains("starting the Matrix bridge"));
    }

    // The room's first voice message from Alice is the burst's, decrypted by the phone.
    private static async Task AssertPostedAsync(JsPeer phone, string room, string alicesUserId, byte channel, uint burstId, CancellationToken ct)
    {
        var posted = await phone.WaitForEventsAsync(room, 1, sender: alicesUserId, msgtype: "m.audio", timeout: TimeSpan.FromSeconds(60), cancellationToken: ct);
        Assert.Null(posted[0].DecryptionFailure);
        Assert.Equal(burstId, posted[0].Content["org.matrix.msc4002.burst"]!["burst_id"]!.GetValue<uint>());
        Assert.Equal("ch" + channel, posted[0].Content["org.matrix.msc4002.burst"]!["channel"]!.GetValue<string>());
    }

    // A gateway on the class's database with its own ids, the shared recordings (and their key) and the shared Matrix folder.
    private TestGateway OnSharedDatabase(string id, string shared, MatrixBridgeOptions matrix)
    {
        var gateway = TestGateway.Create();
        gateway.Storage = new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = database.ConnectionString };
        gateway.Mqtt.ExternalClientId = "gateway-" + id;
        gateway.Options.RecordingsDirectory = Path.Combine(shared, "recordings");
        gateway.Options.RecordingKeyFile = Path.Combine(shared, "recording.key");
        gateway.Services = services =>
        {
            services.PostConfigure<SiteOptions>(o => o.GatewayId = id);
            services.AddSingleton(Options.Create(matrix));
        };
        return gateway;
    }

    private static MatrixBridgeHost? Bridge(TestGateway gateway) => gateway.Host.Services.GetRequiredService<MatrixBridgeService>().Bridge;

    private static bool Owns(TestGateway gateway, byte channel) => gateway.Host.Services.GetRequiredService<ChannelOwnership>().Owns(channel);

    // Alice talks 10 frames on the channel and Bob hears the burst end; returns its id.
    private static async Task<uint> BurstAsync(TestBadge alice, TestBadge bob, byte channel)
    {
        var grant = Assert.IsType<FloorGranted>(await alice.RequestFloorAsync(channel));
        await alice.TalkAsync(grant, 10);
        await bob.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId, timeoutMs: 10_000);
        return grant.BurstId;
    }

    // As when a channel added while both gateways run goes to the other one: the row names it, for longer than the test.
    private void TakeLease(byte channel, string owner)
    {
        using var connection = new NpgsqlConnection(database.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(
            "UPDATE channel_leases SET owner = @owner, expires_at = clock_timestamp() + interval '1 minute' WHERE channel = @channel", connection);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("channel", (long)channel);
        Assert.Equal(1, command.ExecuteNonQuery());
    }
}
