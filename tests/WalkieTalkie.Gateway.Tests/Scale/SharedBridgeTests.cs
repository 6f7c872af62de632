using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.MatrixBridge.Linking;
using WalkieTalkie.Gateway.Sites;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Gateway.Storage.Postgres;
using WalkieTalkie.Gateway.Storage.Sql;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Tests.Support.Scale;
using WalkieTalkie.Gateway.Tests.Support.Postgres;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.TestHomeserver;
using Xunit.Abstractions;

namespace WalkieTalkie.Gateway.Tests.Scale;

/// <summary>
/// Two gateways on one broker and one PostgreSQL database, both with the Matrix bridge on the test homeserver, one
/// Matrix folder (sessions, key stores, outbox) and one recordings folder that both see: the bridge, and with it the
/// badges' Matrix devices, runs only on the gateway holding the bridge's lease, and moves to the other when that gateway
/// loses the database (its connection cut, as by the network), without a voice message lost or sent twice.
/// </summary>
public sealed class SharedBridgeTests(PostgresClassDatabase database, ITestOutputHelper output) : IClassFixture<PostgresClassDatabase>, IAsyncLifetime
{
    private const string Channel = "ch1";

    private TestHomeserver.TestHomeserver _homeserver = null!;
    private PostgresDatabase _registry = null!;
    private string _shared = null!;
    private MatrixBridgeOptions _matrix = null!;
    private BadgeLink _alice = null!;
    private string _roomId = null!;
    private TestGateway _a = null!;
    private TestGateway _b = null!;
    private CuttableLink _aToDatabase = null!;

    public async Task InitializeAsync()
    {
        _homeserver = await TestHomeserver.TestHomeserver.StartAsync();
        _registry = database.Fresh();
        (_shared, _matrix) = await SharedMatrixFolder.CreateAsync("wt-shared-matrix-", _homeserver.BaseUrl);

        // a reaches PostgreSQL through a link the test can cut, as a network between them would be.
        _aToDatabase = new CuttableLink(new NpgsqlConnectionStringBuilder(database.ConnectionString).Port);
        var throughLink = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = _aToDatabase.Port }.ConnectionString;
        _a = OnSharedDatabase("a", throughLink);
        _b = OnSharedDatabase("b", database.ConnectionString);
        await LinkAsync();
        await _a.StartAsync(BrokerKind.Mosquitto);
        // Started second, once a runs the bridge, b finds every channel held by a. (Started at once, b's start-up in this
        // process could hold a's lease renewals back for longer than a lease on a loaded machine, and b took it all.)
        Assert.True(await Eventually.TrueAsync(() => Bridge(_a) is not null, 30_000), "a's bridge did not start");
        await _b.StartOnAsync(_a.Mosquitto!, _b.Services);
    }

    public async Task DisposeAsync()
    {
        foreach (var (name, gateway) in new[] { ("a", _a), ("b", _b) })
        {
            foreach (var line in gateway.Log.Lines.Where(l => l.Contains("Matrix bridge", StringComparison.Ordinal) || l.StartsWith("Warn", StringComparison.Ordinal) || l.StartsWith("Err", StringComparison.Ordinal)))
            {
                output.WriteLine($"{name}: {line}");
            }
        }

        await _b.DisposeAsync();
        await _a.DisposeAsync();
        _aToDatabase.Dispose();
        _registry.Dispose();
        await _homeserver.DisposeAsync();
        System.IO.Directory.Delete(_shared, recursive: true);
    }

    [Fact]
    public async Task The_bridge_runs_on_the_owner_alone_and_moves_with_the_leases_when_the_owner_is_cut_off()
    {
        Assert.True(await Eventually.TrueAsync(() => Bridge(_a) is not null, 30_000), "a's bridge did not start");
        var alice = await _a.ConnectAsync("alice");
        var bob = await _a.ConnectAsync("bob");

        await BurstAsync(alice, bob);
        Assert.True(await Eventually.TrueAsync(() => VoiceMessages() == 1, 30_000), $"{VoiceMessages()} voice messages in the room");
        Assert.Null(Bridge(_b));
        Assert.False(_b.Log.Contains("starting the Matrix bridge"));

        // a can no longer reach the database (the network between them cut): its bridge stops before its leases run
        // out, and b takes the channels and the bridge's lease and starts the bridge on the same Matrix folder.
        var aStartedBeforeTheCut = _a.Log.Count("starting the Matrix bridge");
        _aToDatabase.Cut();
        Assert.True(await Eventually.TrueAsync(() => Bridge(_b) is not null, 30_000), "b's bridge did not start");
        Assert.Null(Bridge(_a));
        Assert.True(_a.Log.Contains("stopping the Matrix bridge"));

        await BurstAsync(alice, bob);
        Assert.True(_b.Log.Contains("Floor granted", "channel 1", "alice"));
        Assert.True(await Eventually.TrueAsync(() => VoiceMessages() == 2, 30_000), $"{VoiceMessages()} voice messages in the room");
        // Time for a duplicate from either gateway to show (the pumps run on every finished burst and "sent" report).
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal(2, VoiceMessages());
        Assert.Null(Bridge(_a));
        // a may have stopped and started its bridge before the cut, when a renewal came late on a loaded machine (it
        // stops 1 s before its lease's end); without the database it never starts it again.
        Assert.Equal(aStartedBeforeTheCut, _a.Log.Count("starting the Matrix bridge"));
        Assert.Equal(1, _b.Log.Count("starting the Matrix bridge"));
        Assert.False(_a.Log.Contains("failed for good"), "a's outbox dropped an entry for good");
        Assert.False(_b.Log.Contains("failed for good"), "b's outbox dropped an entry for good");
    }

    // Both gateways run on the class's database with their own ids and MQTT client ids, the shared recordings (and their
    // key), and the bridge on the shared folder.
    private TestGateway OnSharedDatabase(string id, string connectionString)
    {
        var gateway = TestGateway.Create();
        gateway.Storage = new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = connectionString };
        gateway.Mqtt.ExternalClientId = "gateway-" + id;
        gateway.Options.RecordingsDirectory = Path.Combine(_shared, "recordings");
        gateway.Options.RecordingKeyFile = Path.Combine(_shared, "recording.key");
        gateway.Services = services =>
        {
            services.PostConfigure<SiteOptions>(o => o.GatewayId = id);
            services.AddSingleton(Options.Create(_matrix));
        };
        return gateway;
    }

    // The shared registry (a keeps the secrets), alice linked to her own Matrix account, channel 1
    // linked to a room its granter made, as walkie badge link and walkie channel link leave them.
    private async Task LinkAsync()
    {
        SharedRegistry.Provision(_registry, _a);
        var stores = SqlStores.Bridge(_registry);
        var granter = _homeserver.RegisterUser("granter", "granter-password");
        _roomId = await CreateRoomAsync(granter);
        using (var client = await GranterAccount.ConnectAsync(stores, _matrix, _a.Directory, granter.UserId, granter.Password, register: false,
                   NullLogger.Instance, CancellationToken.None))
        {
            Assert.NotNull(client);
        }

        _alice = await BadgeLinker.LinkAsync(stores, _matrix, _a.Directory, "alice", "walkie-alice", "alice-badge-password", register: true,
            NullLogger.Instance);
        stores.Links.SaveChannel(Channel, _roomId, granter.UserId);
    }

    // A room the granter makes (not encrypted, so the test reads the voice messages' type on the server).
    private async Task<string> CreateRoomAsync(TestUser granter)
    {
        using var http = new HttpClient { BaseAddress = _homeserver.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "_matrix/client/v3/createRoom")
        {
            Content = JsonContent.Create(new JsonObject { ["preset"] = "private_chat" }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _homeserver.CreateSession(granter.UserId).AccessToken);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!["room_id"]!.GetValue<string>();
    }

    private static MatrixBridgeHost? Bridge(TestGateway gateway) => gateway.Host.Services.GetRequiredService<MatrixBridgeService>().Bridge;

    // Alice talks 10 frames on channel 1 and Bob hears the burst end.
    private static async Task BurstAsync(TestBadge alice, TestBadge bob)
    {
        var grant = Assert.IsType<FloorGranted>(await alice.RequestFloorAsync(1));
        await alice.TalkAsync(grant, 10);
        await bob.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId);
    }

    // Alice's voice messages in the room, as the homeserver keeps them.
    private int VoiceMessages() => _homeserver.RoomEvents(_roomId).Count(e =>
        e["type"]?.GetValue<string>() == "m.room.message" && e["sender"]?.GetValue<string>() == _alice.UserId
        && e["content"]?["msgtype"]?.GetValue<string>() == "m.audio");
}
