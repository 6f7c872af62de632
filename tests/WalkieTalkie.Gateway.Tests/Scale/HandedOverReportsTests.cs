using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.MatrixBridge.Linking;
using WalkieTalkie.Gateway.Sites;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Gateway.Storage.Postgres;
using WalkieTalkie.Gateway.Storage.Sql;
using WalkieTalkie.Gateway.Tests.Playback;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Tests.Support.Scale;
using WalkieTalkie.Gateway.Tests.Support.Postgres;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.TestHomeserver;
using Xunit.Abstractions;

namespace WalkieTalkie.Gateway.Tests.Scale;

/// <summary>
/// Two gateways on one broker and one PostgreSQL database with the Matrix bridge on (one shared Matrix folder), the
/// channels' leases split: <c>a</c> holds channel 1 and the bridge, <c>b</c> channel 2. Carol's badge is on channel 2
/// only, so <c>b</c> serves her and makes her reports, while <c>a</c> runs the bridge: her SOS, its close and her low
/// battery reach channel 2's room (from her Matrix account) through the shared table, once each; her presence becomes
/// her account's; her burst, recorded by <c>b</c>, wakes <c>a</c>'s bridge to send it; and Dave's played report (he is on
/// channel 2 alone too) becomes his account's read receipt.
/// </summary>
public sealed class HandedOverReportsTests(PostgresClassDatabase database, ITestOutputHelper output) : IClassFixture<PostgresClassDatabase>, IAsyncLifetime
{
    private const int Long = 60_000;

    // Far below the bridge's look at the table here (60 s), well above what a notification takes on a loaded machine.
    private const int Notified = 10_000;

    private readonly Dictionary<string, BadgeNotices> _notices = [];
    private TestHomeserver.TestHomeserver _homeserver = null!;
    private PostgresDatabase _registry = null!;
    private string _shared = null!;
    private MatrixBridgeOptions _matrix = null!;
    private BadgeLink _carol = null!;
    private BadgeLink _dave = null!;
    private string _roomId = null!;
    private string _granterToken = null!;
    private TestGateway _a = null!;
    private TestGateway _b = null!;

    public async Task InitializeAsync()
    {
        _homeserver = await TestHomeserver.TestHomeserver.StartAsync();
        _registry = database.Fresh();
        (_shared, _matrix) = await SharedMatrixFolder.CreateAsync("wt-handed-over-", _homeserver.BaseUrl);

        _a = OnSharedDatabase("a");
        _b = OnSharedDatabase("b");
        await LinkAsync();
        await _a.StartAsync(BrokerKind.Mosquitto);
        // Started second, b finds every channel, and the bridge, held by a.
        await _b.StartOnAsync(_a.Mosquitto!, _b.Services);
        Assert.True(await Eventually.TrueAsync(() => Bridge(_a) is not null, Long), "a's bridge did not start");
        Assert.True(await Eventually.TrueAsync(() => Joined(_carol.UserId) && Joined(_dave.UserId), Long), "carol's and dave's accounts did not join channel 2's room");

        // The leases split: channel 2 is b's from now on; a keeps channel 1 and the bridge.
        TakeLease(channel: 2, owner: "b");
        Assert.True(await Eventually.TrueAsync(() => Owns(_b, 2) && !Owns(_a, 2) && Owns(_a, 1), 20_000), "the leases did not split");
        await Task.Delay(ChannelOwnership.LeaseDuration + TimeSpan.FromSeconds(1)); // past the leases a held before
        Assert.NotNull(Bridge(_a));
        Assert.Null(Bridge(_b));
    }

    public async Task DisposeAsync()
    {
        foreach (var (name, gateway) in new[] { ("a", _a), ("b", _b) })
        {
            foreach (var line in gateway.Log.Lines.Where(l => l.Contains("Matrix", StringComparison.Ordinal) || l.Contains("mergenc", StringComparison.Ordinal)
                         || l.StartsWith("Warn", StringComparison.Ordinal) || l.StartsWith("Err", StringComparison.Ordinal)))
            {
                output.WriteLine($"{name}: {line}");
            }
        }

        await _b.DisposeAsync();
        await _a.DisposeAsync();
        _registry.Dispose();
        await _homeserver.DisposeAsync();
        System.IO.Directory.Delete(_shared, recursive: true);
    }

    [Fact]
    public async Task A_badges_sos_and_its_close_on_the_gateway_without_the_bridge_reach_the_room_once_each()
    {
        var carol = await _a.ConnectAsync("carol");

        await carol.SendAsync(new Emergency { Open = true });
        await carol.WaitForAsync<EmergencyState>(e => e.Open, timeoutMs: 30_000);
        Assert.True(await Eventually.TrueAsync(() => Messages("@room SOS: Carol's badge raised an emergency").Count == 1, Long),
            "the SOS did not reach the room");
        var alert = Messages("@room SOS: Carol's badge raised an emergency").Single();
        Assert.True(alert["content"]!["m.mentions"]!["room"]!.GetValue<bool>(), "the alert does not mention the room");

        var before = carol.Control.Count;
        await carol.SendAsync(new Emergency { Open = false });
        await carol.WaitForAsync<EmergencyState>(e => !e.Open, timeoutMs: 30_000, skip: before);
        Assert.True(await Eventually.TrueAsync(() => Messages("The emergency of Carol's badge was cancelled by the badge").Count == 1, Long),
            "the SOS's close did not reach the room");

        // b made the reports (it serves carol's only channel), a's bridge posted them; and each was handled and removed.
        Assert.Equal(["carol"], _notices["b"].EmergenciesOpened);
        Assert.Equal([("carol", "badge")], _notices["b"].EmergenciesClosed);
        Assert.Empty(_notices["a"].EmergenciesOpened);
        Assert.True(await Eventually.TrueAsync(() => PendingReports() == 0, Long), $"{PendingReports()} reports still wait in the table");
        await Task.Delay(TimeSpan.FromSeconds(3)); // room for a second post to show
        Assert.Single(Messages("@room SOS: Carol's badge raised an emergency"));
        Assert.Single(Messages("The emergency of Carol's badge was cancelled by the badge"));
        Assert.Null(Bridge(_b));
    }

    [Fact]
    public async Task A_badges_low_battery_on_the_gateway_without_the_bridge_reaches_the_room_once()
    {
        var carol = await _a.ConnectAsync("carol");

        await carol.SendAsync(new BadgeState { Status = BadgeStatus.Idle, Channel = 2, BatteryPercent = 5, Firmware = "test" });
        Assert.True(await Eventually.TrueAsync(() => Messages("Battery low on Carol's badge: 5 %").Count == 1, Long),
            "the low-battery notice did not reach the room");

        Assert.Equal(["carol"], _notices["b"].LowBatteries);
        Assert.Empty(_notices["a"].LowBatteries);
        Assert.True(await Eventually.TrueAsync(() => PendingReports() == 0, Long), $"{PendingReports()} reports still wait in the table");
        await Task.Delay(TimeSpan.FromSeconds(3)); // room for a second post to show
        Assert.Single(Messages("Battery low on Carol's badge: 5 %"));
    }

    [Fact]
    public async Task A_badges_presence_on_the_gateway_without_the_bridge_becomes_its_accounts_presence()
    {
        var carol = await _a.ConnectAsync("carol");
        Assert.True(await Eventually.TrueAsync(() => PresenceOf(_carol.UserId) == "online", Long), $"carol's account is {PresenceOf(_carol.UserId)}");

        await carol.SendAsync(new BadgeState { Status = BadgeStatus.Standby, Channel = 2, BatteryPercent = 80, Firmware = "test" });
        Assert.True(await Eventually.TrueAsync(() => PresenceOf(_carol.UserId) == "unavailable", Long), $"carol's account is {PresenceOf(_carol.UserId)}");
        Assert.True(await Eventually.TrueAsync(() => PendingReports() == 0, Long), $"{PendingReports()} reports still wait in the table");
    }

    [Fact]
    public async Task A_burst_recorded_on_the_gateway_without_the_bridge_reaches_the_room_without_waiting_for_another_wake()
    {
        var carol = await _a.ConnectAsync("carol");
        var bob = await _a.ConnectAsync("bob");

        var grant = Assert.IsType<FloorGranted>(await carol.RequestFloorAsync(2));
        await carol.TalkAsync(grant, 10);
        await bob.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId, timeoutMs: 30_000);
        Assert.True(_b.Log.Contains("Floor granted", "channel 2", "carol"));

        Assert.True(await Eventually.TrueAsync(() => VoiceMessages().Count == 1, Long), "carol's burst did not reach the room");
        Assert.Equal(grant.BurstId, VoiceMessages()[0]["content"]!["org.matrix.msc4002.burst"]!["burst_id"]!.GetValue<uint>());
        await Task.Delay(TimeSpan.FromSeconds(3)); // room for a second post to show
        Assert.Single(VoiceMessages());
    }

    [Fact]
    public async Task A_badges_played_report_on_the_gateway_without_the_bridge_becomes_its_accounts_read_receipt()
    {
        var carol = await _a.ConnectAsync("carol");
        var dave = await _a.ConnectAsync("dave");
        var grant = Assert.IsType<FloorGranted>(await carol.RequestFloorAsync(2));
        await carol.TalkAsync(grant, 10);
        await dave.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId, timeoutMs: 30_000);
        Assert.True(await Eventually.TrueAsync(() => VoiceMessages().Count == 1, Long), "carol's burst did not reach the room");
        var eventId = VoiceMessages()[0]["event_id"]!.GetValue<string>();
        Assert.Equal(0, ReadReceipts(eventId));

        // Dave (on channel 2 alone: b serves him) played it to its end: his account's m.read receipt on it says "heard by".
        await dave.SendAsync(new Played { BurstId = grant.BurstId });
        Assert.True(await Eventually.TrueAsync(() => ReadReceipts(eventId) == 1, Long), "no read receipt for the played burst");
        Assert.True(await Eventually.TrueAsync(() => PendingReports() == 0, Long), $"{PendingReports()} reports still wait in the table");
    }

    [Fact]
    public async Task A_report_another_gateway_writes_reaches_the_bridge_within_seconds_and_still_once_the_listening_connections_were_killed()
    {
        // Written through the test's own connection, as by a gateway in another process: a's bridge hears of it only by
        // the database's notification (its look at the table is once a minute here).
        WriteReport(EngineReportKinds.LowBattery, "", 7, DateTimeOffset.UtcNow);
        Assert.True(await Eventually.TrueAsync(() => Messages("Battery low on Carol's badge: 7 %").Count == 1, Notified),
            "the report did not reach the room within seconds");

        // Both gateways' listening connections ended, as by a PostgreSQL restart: they listen again, and a report still comes at once.
        var killed = NotificationListeners.Kill(database.ConnectionString);
        Assert.Equal(2, killed.Count);
        Assert.True(await Eventually.TrueAsync(() => NotificationListeners.Of(database.ConnectionString) is { Count: 2 } now && !now.Intersect(killed).Any(),
            Notified), "the gateways did not listen again");
        WriteReport(EngineReportKinds.LowBattery, "", 6, DateTimeOffset.UtcNow);
        Assert.True(await Eventually.TrueAsync(() => Messages("Battery low on Carol's badge: 6 %").Count == 1, Notified),
            "the report after the listening connections were killed did not reach the room within seconds");
        Assert.Equal(1, _a.Log.Count("change notifications stopped"));
        Assert.True(await Eventually.TrueAsync(() => PendingReports() == 0, Long), $"{PendingReports()} reports still wait in the table");
    }

    [Fact]
    public async Task Reports_that_waited_too_long_are_dropped_by_kind_and_an_old_sos_is_still_posted_with_its_time()
    {
        // As left by gateways while no bridge ran for hours: b wrote them, a's bridge reads them now.
        var now = DateTimeOffset.UtcNow;
        var sosAt = now - TimeSpan.FromHours(3);
        var batteryAt = now - TimeSpan.FromHours(2);
        // In one transaction, so that the bridge (woken by its commit) finds them all at its first look.
        WriteBacklog(
            (EngineReportKinds.Presence, "", 0, now - TimeSpan.FromHours(1)),
            (EngineReportKinds.Played, "", 1, now - TimeSpan.FromHours(1)),
            (EngineReportKinds.LowBattery, "", 4, now - TimeSpan.FromHours(7)),
            (EngineReportKinds.LowBattery, "", 6, batteryAt),
            (EngineReportKinds.EmergencyOpened, "", 50, sosAt),
            (EngineReportKinds.EmergencyClosed, "badge", 0, sosAt + TimeSpan.FromMinutes(1)));

        Assert.True(await Eventually.TrueAsync(() => PendingReports() == 0, Long), $"{PendingReports()} reports still wait in the table");
        Assert.True(await Eventually.TrueAsync(() => Messages("The emergency of Carol's badge was cancelled").Count == 1
            && Messages("@room SOS: Carol's badge").Count == 1 && Messages("Battery low on Carol's badge: 6 %").Count == 1, Long),
            "the old SOS, its close or the 2 h old low battery did not reach the room");
        Assert.EndsWith($"at {Local(sosAt)})", Body(Messages("@room SOS: Carol's badge").Single()));
        Assert.EndsWith($"at {Local(sosAt + TimeSpan.FromMinutes(1))})", Body(Messages("The emergency of Carol's badge was cancelled").Single()));
        Assert.EndsWith($"at {Local(batteryAt)})", Body(Messages("Battery low on Carol's badge: 6 %").Single()));
        Assert.True(_a.Log.Contains("Dropped 3 handed-over engine reports", "1 presence", "1 played", "1 low-battery"), "no line for the dropped reports");
        await Task.Delay(TimeSpan.FromSeconds(3)); // room for a dropped one to show
        Assert.Empty(Messages("Battery low on Carol's badge: 4 %"));
        Assert.Single(Messages("@room SOS: Carol's badge"));
    }

    [Fact]
    public async Task A_badges_private_reply_to_a_phone_on_the_gateway_without_the_bridge_reaches_its_direct_room_once()
    {
        var dad = _homeserver.RegisterUser("dad", "dad-password");
        var carol = await _a.ConnectAsync("carol");

        // Dad's voice message plays on channel 2, b's: carol hears it, and dad (his user id known) is her last talker there.
        var message = await new EngineBadgePlayer(_b.Host.Engine).QueueAsync("ch2", MatrixAudio.Message(4, tag: 1), "Dad", dad.UserId, CancellationToken.None);
        await carol.WaitForAsync<BurstEnd>(e => e.BurstId == message, timeoutMs: 30_000);

        // Carol answers him (a double press on the badge): b grants and records the reply, private to dad.
        var before = carol.Control.Count;
        await carol.SendAsync(new ReplyRequest { Channel = 2 });
        var granted = Assert.IsType<ReplyGranted>(await carol.WaitForAsync<ControlMessage>(m => m is ReplyGranted or ReplyDenied, timeoutMs: 30_000, skip: before));
        Assert.Equal("Dad", granted.To);
        await carol.TalkAsync(new FloorGranted { Channel = 2, BurstId = granted.BurstId }, 10);
        Assert.True(_b.Log.Contains("private reply to " + dad.UserId), "b did not grant the reply");

        // a's bridge makes the direct room between carol's account and dad, and sends the reply there, once.
        var rooms = SqlStores.Bridge(_registry).DirectRooms;
        Assert.True(await Eventually.TrueAsync(() => rooms.Find("carol", dad.UserId) is not null, Long), "no direct room was made for the reply");
        var direct = rooms.Find("carol", dad.UserId)!.RoomId;
        Assert.NotEqual(_roomId, direct);
        Assert.True(await Eventually.TrueAsync(() => SentBy(_carol.UserId, direct).Count == 1, Long), "carol's reply did not reach the direct room");
        Assert.True(_a.Log.Contains("Private reply " + granted.BurstId, "queued for " + dad.UserId), "a's bridge did not send the reply");
        Assert.False(_b.Log.Contains("Private reply " + granted.BurstId, "queued for"), "b sent the reply though its bridge is off");
        await Task.Delay(TimeSpan.FromSeconds(3)); // room for a second post to show
        Assert.Single(SentBy(_carol.UserId, direct));
        Assert.Empty(VoiceMessages()); // nothing of it in channel 2's room
        Assert.Null(Bridge(_b));
    }

    // The messages a user sent to a room, encrypted (a direct room) or not, as the homeserver keeps them.
    private List<JsonObject> SentBy(string userId, string roomId) => _homeserver.RoomEvents(roomId).Where(e =>
        e["type"]?.GetValue<string>() is "m.room.message" or "m.room.encrypted" && e["sender"]?.GetValue<string>() == userId).ToList();

    private static string Body(JsonObject message) => message["content"]!["body"]!.GetValue<string>();

    private static string Local(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, TimeZoneInfo.Local).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    // A report of carol's as gateway b writes it, made at the given time.
    private void WriteReport(string kind, string text, long number, DateTimeOffset at) =>
        SqlStores.Bridge(_registry).EngineReports.Add(new EngineReport(0, kind, "carol", text, number, at.ToUnixTimeMilliseconds(), "b"));

    // Reports of carol's as gateway b left them, committed together (the columns SqlEngineReports writes).
    private void WriteBacklog(params (string Kind, string Text, long Number, DateTimeOffset At)[] reports)
    {
        using var connection = new NpgsqlConnection(database.ConnectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction();
        foreach (var (kind, text, number, at) in reports)
        {
            using var command = new NpgsqlCommand(
                "INSERT INTO bridge_engine_reports (kind, badge_id, text, number, at_ms, gateway_id) VALUES (@kind, 'carol', @text, @number, @at, 'b')",
                connection, transaction);
            command.Parameters.AddWithValue("kind", kind);
            command.Parameters.AddWithValue("text", text);
            command.Parameters.AddWithValue("number", number);
            command.Parameters.AddWithValue("at", at.ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    // A gateway on the class's database with its own ids and the bridge on the shared Matrix folder.
    private TestGateway OnSharedDatabase(string id)
    {
        var gateway = TestGateway.Create();
        // The bridge's look at the table and the registry's read are the safety net's, once a minute (the default is 30 s):
        // a report reaches the bridge by the database's notification, as another gateway's does in a real site.
        gateway.Storage = new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = database.ConnectionString, FallbackPollSeconds = 60 };
        gateway.Mqtt.ExternalClientId = "gateway-" + id;
        gateway.Options.RecordingsDirectory = Path.Combine(_shared, "recordings");
        gateway.Options.RecordingKeyFile = Path.Combine(_shared, "recording.key");
        var notices = new BadgeNotices();
        _notices[id] = notices;
        gateway.Services = services =>
        {
            services.PostConfigure<SiteOptions>(o => o.GatewayId = id);
            services.AddSingleton(Options.Create(_matrix));
            services.AddSingleton<IGatewayObserver>(notices);
        };
        return gateway;
    }

    // The shared registry with carol on channel 2 alone (a keeps the secrets: the broker checks them), carol linked to
    // her own Matrix account, channel 2 linked to a room its granter made, as walkie badge link and walkie channel link leave them.
    private async Task LinkAsync()
    {
        SharedRegistry.Provision(_registry, _a);
        foreach (var (badge, name) in new[] { ("carol", "Carol"), ("dave", "Dave") })
        {
            _a.Secrets[badge] = new SqlBadgeStore(_registry, _a.Hasher).Add(badge, name);
            new SqlChannelStore(_registry).Join(2, badge);
            new SqlPermitStore(_registry).Grant(badge, 2, PermitBits.Known, null, "test", accepted: true);
        }

        var stores = SqlStores.Bridge(_registry);
        var granter = _homeserver.RegisterUser("granter", "granter-password");
        _granterToken = _homeserver.CreateSession(granter.UserId).AccessToken;
        _roomId = await CreateRoomAsync(granter);
        using (var client = await GranterAccount.ConnectAsync(stores, _matrix, _a.Directory, granter.UserId, granter.Password, register: false,
                   NullLogger.Instance, CancellationToken.None))
        {
            Assert.NotNull(client);
        }

        _carol = await BadgeLinker.LinkAsync(stores, _matrix, _a.Directory, "carol", "walkie-carol", "carol-badge-password", register: true,
            NullLogger.Instance);
        _dave = await BadgeLinker.LinkAsync(stores, _matrix, _a.Directory, "dave", "walkie-dave", "dave-badge-password", register: true,
            NullLogger.Instance);
        stores.Links.SaveChannel("ch2", _roomId, granter.UserId);
    }

    // A room the granter makes (not encrypted, so the test reads the messages on the server).
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

    private static bool Owns(TestGateway gateway, byte channel) => gateway.Host.Services.GetRequiredService<ChannelOwnership>().Owns(channel);

    private bool Joined(string userId) => _homeserver.RoomEvents(_roomId).Any(e =>
        e["type"]?.GetValue<string>() == "m.room.member" && e["state_key"]?.GetValue<string>() == userId
        && e["content"]?["membership"]?.GetValue<string>() == "join");

    // Carol's messages in the room whose body starts so, as the homeserver keeps them.
    private List<JsonObject> Messages(string bodyStart) => _homeserver.RoomEvents(_roomId).Where(e =>
        e["type"]?.GetValue<string>() == "m.room.message" && e["sender"]?.GetValue<string>() == _carol.UserId
        && e["content"]?["body"]?.GetValue<string>() is { } body && body.StartsWith(bodyStart, StringComparison.Ordinal)).ToList();

    // Carol's voice messages in the room.
    private List<JsonObject> VoiceMessages() => _homeserver.RoomEvents(_roomId).Where(e =>
        e["type"]?.GetValue<string>() == "m.room.message" && e["sender"]?.GetValue<string>() == _carol.UserId
        && e["content"]?["msgtype"]?.GetValue<string>() == "m.audio").ToList();

    // A user's presence as the homeserver has it (asked as the granter).
    private string PresenceOf(string userId)
    {
        using var http = new HttpClient { BaseAddress = _homeserver.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"_matrix/client/v3/presence/{Uri.EscapeDataString(userId)}/status");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _granterToken);
        using var response = http.Send(request);
        var text = new StreamReader(response.Content.ReadAsStream()).ReadToEnd();
        return response.IsSuccessStatusCode ? JsonNode.Parse(text)!["presence"]!.GetValue<string>() : $"unknown ({(int)response.StatusCode} {text})";
    }

    // The m.read receipts the homeserver took on an event (dave is the only listener linked to an account).
    private int ReadReceipts(string eventId) => _homeserver.Requests.Count(r =>
        r.Method == "POST" && r.Status == 200 && Uri.UnescapeDataString(r.Path).EndsWith("/receipt/m.read/" + eventId, StringComparison.Ordinal));

    // The engine reports written to the shared table and not handled yet.
    private long PendingReports()
    {
        using var connection = new NpgsqlConnection(database.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT COUNT(*) FROM bridge_engine_reports", connection);
        return (long)command.ExecuteScalar()!;
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
