using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Simulation;
using WalkieTalkie.Badge.Simulation.Audio;
using WalkieTalkie.Badge.Simulation.Tests.Support;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.EndToEnd.Tests.Support;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.MatrixBridge.Linking;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Interop;
using WalkieTalkie.Matrix.Client;
using Bits = WalkieTalkie.Protocol.Control.Permits;

namespace WalkieTalkie.EndToEnd.Tests;

/// <summary>
/// Issue 6, the rest of the bridge's room side: <c>walkie channel link</c> sets the room up from the granting account
/// (and says why it cannot while that account lacks the power); the gateway's permits appear in the room as
/// <c>org.matrix.msc4002.accept</c> (from each badge's account) and <c>.permit</c> (from the granter); a permit a room
/// admin changes reaches the gateway's registry; and a badge that played another badge's burst shows in a
/// matrix-js-sdk client as an <c>m.read</c> receipt from its account on that burst's voice message ("heard by").
/// </summary>
public class HeardByAndPermitsTests(ITestOutputHelper output)
{
    private const int Rate = 8000;

    [Fact]
    public async Task Permits_are_mirrored_into_the_room_and_a_played_burst_is_read_by_the_listening_badges_account()
    {
        Assert.True(Speech.IsInstalled, "espeak-ng is needed (scripts/deps/apt-packages)");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = timeout.Token;
        using var folder = TestFolder.Create("wt-e2e-heard-", output);
        using var loggers = TestLoggers.Create(output);
        var log = loggers.CreateLogger("test");

        var spoken = Speech.Say("Lunch is ready, come to the kitchen.", folder.File("spoken.wav"));
        var speech = PcmClip.Load(spoken);

        await using var hs = await WalkieTalkie.TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        await using var phone = await JsPeer.StartAsync("phone", output.WriteLine, cancellationToken: ct);
        var dad = await phone.SignUpCrossSignedAsync(hs.BaseUrl, "dad", ct);

        // Two badges on one channel, both granted and accepted on the gateway.
        await using var gateway = await BridgedGateway.CreateAsync(folder, hs.BaseUrl,
            new MatrixBridgeOptions { SyncTimeout = TimeSpan.FromSeconds(5), PermitRereadSeconds = 600 /* no periodic re-read: room changes must come through sync */ }, loggers, ct);
        var (database, matrix, data) = (gateway.Database, gateway.Matrix, gateway.DataDirectory);
        gateway.AddChannel(1, "yard", Rate, 30);
        var annaSecret = gateway.AddBadge("anna", "Anna", channel: 1);
        var benSecret = gateway.AddBadge("ben", "Ben", channel: 1);
        var anna = await gateway.LinkBadgeAsync("anna", ct);
        var ben = await gateway.LinkBadgeAsync("ben", ct);
        var annaKey = new DeviceKey(anna.UserId, anna.DeviceId);
        var benKey = new DeviceKey(ben.UserId, ben.DeviceId);

        // The account the gateway writes permits from: a dedicated one, which Dad invites.
        string granter;
        using (var registration = new MatrixClient(hs.BaseUrl))
        {
            granter = (await registration.RegisterAsync("walkie-granter", "granter-password", cancellationToken: ct)).UserId;
        }

        var roomId = await phone.CreateRoomAsync("Yard", [anna.UserId, ben.UserId, granter], encrypted: true, cancellationToken: ct);

        // walkie channel link yard <room> --granter … --granter-password …, while the granter has no power: it says so.
        var weak = await ChannelLinker.LinkAsync(SqliteStores.Bridge(database), matrix, data, "yard", roomId, granter, "granter-password", log, ct);
        foreach (var line in weak.Done.Concat(weak.NotDone.Select(l => "not done: " + l)))
        {
            output.WriteLine(line);
        }

        Assert.Contains(weak.NotDone, l => l.Contains(WalkieEventTypes.Channel) && l.Contains("power level 0"));
        Assert.Contains(weak.NotDone, l => l.StartsWith("power levels not set") && l.Contains("a room admin must set them"));
        Assert.Contains(weak.NotDone, l => l.Contains("permits need 50") || l.Contains("permits need"));

        // Dad makes the granter a room admin; linking again sets the room up.
        var levels = (await phone.RoomStateAsync(roomId, WalkieEventTypes.PowerLevels, ct)).Single().Content;
        levels["users"]![granter] = 100;
        await phone.SendStateAsync(roomId, WalkieEventTypes.PowerLevels, levels, cancellationToken: ct);
        var link = await ChannelLinker.LinkAsync(SqliteStores.Bridge(database), matrix, data, "yard", roomId, granter, null, log, ct, // the stored session
            walkieUrl: "https://gateway.test:8443/walkie/");
        foreach (var line in link.Done.Concat(link.NotDone.Select(l => "not done: " + l)))
        {
            output.WriteLine(line);
        }

        Assert.Empty(link.NotDone);
        var channelEvent = await phone.WaitForStateAsync(roomId, WalkieEventTypes.Channel, "", granter, cancellationToken: ct);
        Assert.Equal("yard", channelEvent.Content["name"]?.GetValue<string>());
        Assert.Equal(Rate, channelEvent.Content["sample_rate"]?.GetValue<int>());
        await WaitAsync(async () => (await phone.RoomStateAsync(roomId, WalkieEventTypes.PowerLevels, ct)).Single().Content["events"]?
            [WalkieEventTypes.Permit]?.GetValue<long>() == 50, "the permit power level", ct);
        var linkedLevels = (await phone.RoomStateAsync(roomId, WalkieEventTypes.PowerLevels, ct)).Single().Content;
        Assert.Equal(0, linkedLevels["events"]?[WalkieEventTypes.Accept]?.GetValue<long>());
        Assert.Equal(100, linkedLevels["users"]?[dad.UserId]?.GetValue<long>()); // everything else kept
        // The web walkie as the room's Element widget, its address with the widget API's template variables.
        var widget = await phone.WaitForStateAsync(roomId, WalkieWidget.EventType, "walkie-yard", granter, cancellationToken: ct);
        Assert.Equal("m.custom", widget.Content["type"]?.GetValue<string>());
        Assert.Equal("https://gateway.test:8443/walkie/?room=$matrix_room_id&user=$matrix_user_id&device=$org.matrix.msc3819.matrix_device_id",
            widget.Content["url"]?.GetValue<string>());

        await gateway.StartAsync(ct);
        var port = gateway.Port;
        await phone.WaitForMembersAsync(roomId, [dad.UserId, anna.UserId, ben.UserId, granter], cancellationToken: ct);

        // The gateway's permits, in the room: each badge's accept from its own account, its permit from the granter.
        foreach (var (badge, key) in new[] { (anna, annaKey), (ben, benKey) })
        {
            var accept = await phone.WaitForStateAsync(roomId, WalkieEventTypes.Accept, key.StateKey, badge.UserId, cancellationToken: ct);
            Assert.True(accept.Content["receive"]?.GetValue<bool>());
            Assert.Equal(badge.DeviceId, accept.Content["device_id"]?.GetValue<string>());
            var permit = await phone.WaitForStateAsync(roomId, WalkieEventTypes.Permit, key.StateKey, granter, cancellationToken: ct);
            Assert.True(permit.Content["receive"]?.GetValue<bool>());
            Assert.True(permit.Content["send"]?.GetValue<bool>());
            output.WriteLine($"room state for {key.StateKey}: accept {accept.EventId}, permit {permit.EventId}");
        }

        // Anna talks, Ben hears it to the end (played).
        await using (var fleet = new VirtualBadgeFleet { Log = (_, line) => output.WriteLine(line) })
        {
            fleet.Add(new VirtualBadgeSettings { Id = "anna", Port = port, Password = annaSecret, MicWav = spoken, Channels = [new VirtualChannel(1, Rate)] });
            fleet.Add(new VirtualBadgeSettings { Id = "ben", Port = port, Password = benSecret, Channels = [new VirtualChannel(1, Rate)] });
            fleet.Start();
            var (talker, listener) = (fleet.Badges[0], fleet.Badges[1]);
            Assert.True(await fleet.WaitUntilAsync(_ => talker.Mode == BadgeMode.Idle && listener.Mode == BadgeMode.Idle, TimeSpan.FromSeconds(15), ct),
                "the badges did not connect");
            talker.SetTalk(true);
            Assert.True(await fleet.WaitUntilAsync(_ => talker.Mode == BadgeMode.Talking, TimeSpan.FromSeconds(10), ct), "the floor was not granted");
            await Task.Delay(TimeSpan.FromSeconds(speech.Seconds + 0.5), ct);
            talker.SetTalk(false);
            Assert.True(await fleet.WaitUntilAsync(_ => talker.Mode == BadgeMode.Idle && listener.Mode == BadgeMode.Idle, TimeSpan.FromSeconds(15), ct),
                "the burst did not end on both badges");
            await Task.Delay(TimeSpan.FromSeconds(1), ct); // the listener's played report, over MQTT
            await fleet.StopAsync();
        }

        var voice = await phone.WaitForEventAsync(roomId, sender: anna.UserId, msgtype: "m.audio", timeout: TimeSpan.FromSeconds(90), cancellationToken: ct);
        Assert.Null(voice.DecryptionFailure);
        Assert.Equal(anna.DeviceId, voice.SenderDeviceId);
        var heard = await phone.WaitForReceiptAsync(roomId, voice.EventId, ben.UserId, "m.read", TimeSpan.FromSeconds(60), ct);
        output.WriteLine($"heard by {heard.UserId} at {heard.Ts} ({voice.EventId})");
        Assert.Equal(ben.UserId, heard.UserId);
        Assert.Empty(await phone.ReceiptsAsync(roomId, voice.EventId, anna.UserId, ct)); // the talker did not "hear" itself

        // Dad, with the power, takes Ben's right to talk back in the room: the gateway's registry follows.
        var benPermit = new WalkiePermit(benKey, Receive: true, Send: false).ToContent();
        await phone.SendStateAsync(roomId, WalkieEventTypes.Permit, benPermit, benKey.StateKey, ct);
        await WaitAsync(() => Task.FromResult(new SqlitePermitStore(database).List().Single(r => r.BadgeId == "ben").Offered == Bits.Receive),
            "Dad's permit in the gateway's registry", ct);
        var row = new SqlitePermitStore(database).List().Single(r => r.BadgeId == "ben");
        Assert.Equal(dad.UserId, row.OfferedBy);
        Assert.Equal(Bits.Known, new SqlitePermitStore(database).List().Single(r => r.BadgeId == "anna").Offered); // Anna untouched

        // And walkie permit revoke on the gateway reaches the room.
        Assert.True(new SqlitePermitStore(database).Revoke("anna", 1));
        await WaitAsync(async () => (await phone.RoomStateAsync(roomId, WalkieEventTypes.Permit, ct))
            .Any(e => e.StateKey == annaKey.StateKey && e.Sender == granter && e.Content["receive"]?.GetValue<bool>() == false),
            "the revocation in the room", ct);
        Assert.Empty(hs.ServerErrors);
        folder.Passed();
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(200, ct);
        }
    }
}
