using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Simulation;
using WalkieTalkie.Badge.Simulation.Tests.Support;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.EndToEnd.Tests.Support;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Interop;

namespace WalkieTalkie.EndToEnd.Tests;

/// <summary>
/// Issue 11, item 13: the README's Matrix set-up, step by step as a new user runs it, with the real <c>walkie</c>
/// commands and <c>walkie run</c> as processes, on the test homeserver (which answers power levels, invites and
/// registration as Synapse does). Before: the granter could not be registered by the CLI; <c>channel link</c> exited 0
/// after "not invited"; a channel linked while the gateway ran was bridged only after a restart, and its badge never
/// joined the room until then; a phone's permit needed a hand-written state event; and the badges announced a phone's
/// talker by its user id.
/// </summary>
public partial class MatrixSetupTests(ITestOutputHelper output)
{
    private const string Granter = "@walkie-granter:test.local";

    [Fact]
    public async Task The_readme_steps_bridge_a_channel_while_the_gateway_runs_and_a_phone_talks_to_the_badge()
    {
        Assert.True(Speech.IsInstalled, "espeak-ng is needed (scripts/deps/apt-packages)");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        var ct = timeout.Token;
        using var folder = TestFolder.Create("wt-e2e-setup-", output);

        var ogg = Phone.RecordVoiceMessage(Speech.Say("Come home, dinner is ready.", folder.File("spoken.wav")), folder.File("voice.ogg"));

        await using var hs = await WalkieTalkie.TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        await using var phone = await JsPeer.StartAsync("dad", output.WriteLine, cancellationToken: ct);
        var dad = await phone.SignUpCrossSignedAsync(hs.BaseUrl, "dad", ct);
        await SetDisplayNameAsync(hs.BaseUrl, dad, "Dad", ct);
        var roomId = await phone.CreateRoomAsync("Family", [], encrypted: true, cancellationToken: ct);

        var data = folder.File("gateway");
        Directory.CreateDirectory(data);
        var keyFile = folder.File("store.key");
        await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), ct);
        var walkie = new WalkieCli(data, hs.BaseUrl, keyFile, output);

        // The registry, and the badge's own Matrix account.
        Assert.Equal(0, (await walkie.RunAsync("channel", "add", "1", "family")).ExitCode);
        var added = await walkie.RunAsync("badge", "add", "anna", "--name", "Anna");
        var secret = added.Output.Trim().Split(' ')[^1];
        Assert.Equal(0, (await walkie.RunAsync("channel", "join", "1", "anna")).ExitCode);
        Assert.Equal(0, (await walkie.RunAsync("permit", "grant", "anna", "1", "--accepted")).ExitCode);
        Assert.Equal(0, (await walkie.RunAsync("badge", "link", "anna", "--user", "walkie-anna", "--password", "anna-password", "--register")).ExitCode);
        const string anna = "@walkie-anna:test.local";
        var annaKey = new DeviceKey(anna, "WTANNA");

        // walkie run, from now on.
        var port = FreePort.Next();
        await using var gateway = await GatewayProcess.StartAsync(data, port, $"--Matrix:Homeserver={hs.BaseUrl}", $"--Matrix:StoreKeyFile={keyFile}",
            "--Matrix:SyncTimeout=00:00:05", "--Gateway:ReloadSeconds=0.5");

        // The granter's account is created by the link command, which then stops: nobody invited it yet.
        var first = await walkie.RunAsync("channel", "link", "family", roomId, "--granter", Granter, "--granter-password", "granter-password", "--register");
        Assert.Equal(1, first.ExitCode);
        Assert.Contains($"not done: {Granter} could not join {roomId}", first.Output);
        Assert.Contains("GRANTER", string.Join(' ', hs.DeviceIds(Granter)));
        Assert.True(await Eventually.TrueAsync(() => gateway.Output.Any(l => l.Contains("Matrix bridge running: 1 badge devices, 1 linked channels")), 30_000),
            "the running gateway did not take the new link:\n" + string.Join('\n', gateway.Output.TakeLast(20)));

        // Dad invites it and makes it a room admin (100: it sets the room's power levels); linking again finishes the room.
        await phone.InviteAsync(roomId, Granter, ct);
        var levels = (await phone.RoomStateAsync(roomId, WalkieEventTypes.PowerLevels, ct)).Single().Content;
        levels["users"]![Granter] = 100;
        await phone.SendStateAsync(roomId, WalkieEventTypes.PowerLevels, levels, cancellationToken: ct);
        var second = await walkie.RunAsync("channel", "link", "family", roomId, "--granter", Granter);
        Assert.True(second.ExitCode == 0, second.ToString());
        // The link command invites the badge, unless the running gateway's granter session got there first (it takes
        // the link within half a second and invites the badges it lacks): either way the command names the badge.
        Assert.True(second.Output.Contains($"invited badge anna ({anna})") || second.Output.Contains($"badge anna ({anna}) is in the room")
            || second.Output.Contains($"badge anna ({anna}) is invited"), second.ToString());
        var afterSetUp = gateway.Output.Count;
        // The badge's account may mention the room (the room's notifications.room level, 50 by default): its SOS rings everyone.
        var linkedLevels = RoomPowerLevels.FromContent(JsonSerializer.SerializeToElement(
            (await phone.RoomStateAsync(roomId, WalkieEventTypes.PowerLevels, ct)).Single().Content));
        Assert.True(linkedLevels.UserLevel(anna) >= WalkieStateEvents.RoomMentionLevel, $"{anna} has power level {linkedLevels.UserLevel(anna)}");

        // The running gateway bridges the new link without a restart: the badge accepts the invite, and its accept (from its
        // own account, allowed at level 0) and its permit (from the granter) reach the room.
        await phone.WaitForMembersAsync(roomId, [dad.UserId, Granter, anna], timeout: TimeSpan.FromSeconds(60), cancellationToken: ct);
        var accept = await phone.WaitForStateAsync(roomId, WalkieEventTypes.Accept, annaKey.StateKey, anna, TimeSpan.FromSeconds(60), ct);
        Assert.True(accept.Content["receive"]?.GetValue<bool>());
        var permit = await phone.WaitForStateAsync(roomId, WalkieEventTypes.Permit, annaKey.StateKey, Granter, TimeSpan.FromSeconds(60), ct);
        Assert.True(permit.Content["send"]?.GetValue<bool>());

        // Dad's phone may talk: the admin grants it with one command, Dad opts in from the phone.
        var grant = await walkie.RunAsync("permit", "grant", "--device", $"{dad.UserId}/{dad.DeviceId}", "1");
        Assert.True(grant.ExitCode == 0, grant.ToString());
        Assert.Contains("has not opted this device in yet", grant.Output);
        var phoneKey = new DeviceKey(dad.UserId, dad.DeviceId);
        var phonePermit = await phone.WaitForStateAsync(roomId, WalkieEventTypes.Permit, phoneKey.StateKey, Granter, cancellationToken: ct);
        Assert.True(phonePermit.Content["send"]?.GetValue<bool>());
        await phone.SendStateEventAsync(roomId, WalkieEventTypes.Accept, phoneKey.StateKey, new WalkieAccept(phoneKey, true).ToContent(), ct);

        // Anna's badge hears Dad's voice message, announced by his name in the room.
        await using var fleet = new VirtualBadgeFleet { Log = (_, line) => output.WriteLine(line) };
        fleet.Add(new VirtualBadgeSettings { Id = "anna", Port = port, Password = secret, Channels = [new VirtualChannel(1, 8000)] });
        fleet.Start();
        Assert.True(await fleet.WaitUntilAsync(f => f.Badges[0].Mode == BadgeMode.Idle, TimeSpan.FromSeconds(15), ct), "the badge did not connect");
        await phone.SendVoiceMessageAsync(roomId, ogg, cancellationToken: ct);
        Assert.True(await fleet.WaitUntilAsync(f => f.Badges[0].Bursts.Any(b => b.Complete), TimeSpan.FromSeconds(90), ct),
            "the badge did not play Dad's voice message:\n" + string.Join('\n', gateway.Output.TakeLast(40)));
        var lines = gateway.Output.ToArray();
        Assert.Contains(lines, l => l.Contains("Voice message from Dad queued on channel 1", StringComparison.Ordinal));
        // Before the room was set up the homeserver refused the granter and the badge (logged once each); after it, nothing.
        // A refusal reads "answered 403 M_FORBIDDEN"; a bare "403" inside a log line's milliseconds (".403") or an event id is not one.
        var refusedAfterSetUp = lines.Skip(afterSetUp).Where(l => Refusal().IsMatch(l)).ToArray();
        Assert.True(refusedAfterSetUp.Length == 0, "refused after the set-up:\n" + string.Join('\n', refusedAfterSetUp));
        Assert.Empty(hs.ServerErrors);
        folder.Passed();
    }

    // What a phone does when its user picks a name (Synapse puts it in the user's member event of each room).
    private static async Task SetDisplayNameAsync(Uri homeserver, PeerSession session, string name, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = homeserver };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessToken);
        using var response = await http.PutAsJsonAsync($"_matrix/client/v3/profile/{Uri.EscapeDataString(session.UserId)}/displayname",
            new JsonObject { ["displayname"] = name }, ct);
        response.EnsureSuccessStatusCode();
    }

    [GeneratedRegex(@"M_FORBIDDEN|(^|\s)403(\s|$)")]
    private static partial Regex Refusal();
}
