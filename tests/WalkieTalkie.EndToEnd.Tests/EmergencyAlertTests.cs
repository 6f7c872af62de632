using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Simulation;
using WalkieTalkie.Badge.Simulation.Audio;
using WalkieTalkie.Badge.Simulation.Tests.Support;
using WalkieTalkie.EndToEnd.Tests.Support;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Interop;

namespace WalkieTalkie.EndToEnd.Tests;

/// <summary>
/// Issue 13 item 1, Matrix half: a virtual badge's SOS hold opens an emergency; the gateway's bridge posts, from the
/// badge's device, a message that notifies every member (m.mentions room, @room) naming the badge and its battery,
/// then the open microphone's audio as an encrypted voice message; a matrix-js-sdk phone sees the mention and
/// decrypts the audio. The same hold cancels it.
/// </summary>
public class EmergencyAlertTests(ITestOutputHelper output)
{
    private const int Rate = 8000;

    [Fact]
    public async Task An_sos_hold_reaches_a_js_sdk_phone_as_a_room_mention_then_a_voice_message_it_decrypts()
    {
        Assert.True(Speech.IsInstalled, "espeak-ng is needed (scripts/deps/apt-packages)");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;
        using var folder = TestFolder.Create("wt-e2e-sos-", output);
        using var loggers = TestLoggers.Create(output);
        var spoken = Speech.Say("Help, I fell off the climbing frame.", folder.File("spoken.wav"));

        await using var hs = await WalkieTalkie.TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        await using var phone = await JsPeer.StartAsync("phone", output.WriteLine, cancellationToken: ct);
        var dad = await phone.SignUpCrossSignedAsync(hs.BaseUrl, "dad", ct);
        await using var gateway = await BridgedGateway.CreateAsync(folder, hs.BaseUrl,
            new MatrixBridgeOptions { SyncTimeout = TimeSpan.FromSeconds(5) }, loggers, ct);
        gateway.AddChannel(1, "playground", Rate, 30);
        var secret = gateway.AddBadge("kid", "Kid", channel: 1);
        var badgeLink = await gateway.LinkBadgeAsync("kid", ct);
        var roomId = await phone.CreateRoomAsync("Playground", [badgeLink.UserId], encrypted: true, cancellationToken: ct);
        gateway.SaveChannelLink("playground", roomId, dad.UserId);
        await gateway.StartAsync(ct);
        await phone.WaitForMembersAsync(roomId, [dad.UserId, badgeLink.UserId], cancellationToken: ct);

        var tunables = VirtualBadgeSettings.DefaultTunables();
        tunables.SosMicrophoneSeconds = 4;
        await using var fleet = new VirtualBadgeFleet { Log = (_, line) => output.WriteLine(line) };
        fleet.Add(new VirtualBadgeSettings
        {
            Id = "kid", Port = gateway.Port, Password = secret, MicWav = spoken, Tunables = tunables, Channels = [new VirtualChannel(1, Rate)],
        });
        fleet.Start();
        var kid = fleet.Badges[0];
        Assert.True(await fleet.WaitUntilAsync(_ => kid.Mode == BadgeMode.Idle, TimeSpan.FromSeconds(15), ct), "the badge did not connect");

        kid.HoldForSos();
        Assert.True(await fleet.WaitUntilAsync(_ => kid.Mode == BadgeMode.Talking, TimeSpan.FromSeconds(10), ct), "the emergency did not open the microphone");
        Assert.True(kid.EmergencyOpen);
        Assert.True(await fleet.WaitUntilAsync(_ => kid.Mode == BadgeMode.Idle, TimeSpan.FromSeconds(10), ct), "the open microphone did not close by itself");

        var alert = await phone.WaitForEventAsync(roomId, sender: badgeLink.UserId, msgtype: "m.text", timeout: TimeSpan.FromSeconds(60),
            cancellationToken: ct);
        output.WriteLine($"alert {alert.EventId}: {alert.Content.ToJsonString()}");
        Assert.Null(alert.DecryptionFailure);
        Assert.True(alert.Encrypted, "the alert was sent in the clear");
        Assert.True(alert.Content["m.mentions"]?["room"]?.GetValue<bool>(), "the alert does not mention the room");
        var body = alert.Content["body"]!.GetValue<string>();
        Assert.StartsWith("@room SOS: Kid's badge raised an emergency", body);
        Assert.Matches(@"battery \d+ %$", body);

        var voice = await phone.WaitForEventAsync(roomId, sender: badgeLink.UserId, msgtype: "m.audio", timeout: TimeSpan.FromSeconds(90),
            cancellationToken: ct);
        Assert.Null(voice.DecryptionFailure);
        Assert.True(voice.IsVoiceMessage);
        var ogg = folder.File("sos.ogg");
        await phone.DownloadAttachmentAsync(voice.EventId, ogg, cancellationToken: ct);
        var decodedPath = folder.File("sos.wav");
        var decode = Tools.Run("opusdec", "--rate", Rate.ToString(), ogg, decodedPath);
        Assert.True(decode.ExitCode == 0, $"opusdec failed: {decode.Output}");
        // The open microphone's four seconds, without push-to-talk.
        Assert.InRange(PcmClip.Load(decodedPath).Seconds, 3.0, 4.5);

        kid.HoldForSos();
        Assert.True(await fleet.WaitUntilAsync(_ => !kid.EmergencyOpen, TimeSpan.FromSeconds(10), ct), "the second hold did not cancel");
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (new SqliteEmergencyStore(gateway.Database).List().Count != 0)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the emergency is still open at the gateway");
            await Task.Delay(200, ct);
        }

        var closed = await phone.WaitForEventAsync(roomId, sender: badgeLink.UserId, msgtype: "m.notice", timeout: TimeSpan.FromSeconds(60),
            cancellationToken: ct);
        Assert.Equal("The emergency of Kid's badge was cancelled by the badge", closed.Content["body"]!.GetValue<string>());
        await fleet.StopAsync();
        Assert.Empty(hs.ServerErrors);
        folder.Passed();
    }
}
