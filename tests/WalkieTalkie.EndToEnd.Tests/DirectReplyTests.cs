using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Simulation;
using WalkieTalkie.Badge.Simulation.Audio;
using WalkieTalkie.Badge.Simulation.Tests.Support;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.EndToEnd.Tests.Support;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Gateway.Storage.Sqlite.Bridge;
using WalkieTalkie.Interop;

namespace WalkieTalkie.EndToEnd.Tests;

/// <summary>
/// Issue 13 item 2, a reply to a phone: dad's voice message in the channel's room plays on badges A and B; A answers
/// with a double press of push-to-talk; dad's js-sdk phone gets A's reply as an encrypted voice message in a direct
/// room with A's account (made by the gateway: is_direct, encrypted, in A's m.direct), decrypts it and it correlates
/// with what A said, while the channel's room gets nothing from A. Dad answers in that room: only A plays it, as a
/// private burst. After a restart of the gateway, A's next reply goes to the same direct room.
/// </summary>
public class DirectReplyTests(ITestOutputHelper output)
{
    /// <summary>
    /// As in <see cref="OutgoingVoiceMessageTests"/> (IMA ADPCM, then Opus at 8 kHz, searched over lags of 0 to 3 s).
    /// </summary>
    private const double CorrelationFloor = 0.75;

    private const int Rate = 8000;

    [Fact]
    public async Task A_badge_answers_a_phone_in_a_direct_room_and_hears_the_phones_answer_alone()
    {
        Assert.True(Speech.IsInstalled, "espeak-ng is needed (scripts/deps/apt-packages)");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        var ct = timeout.Token;
        using var folder = TestFolder.Create("wt-e2e-direct-", output);
        using var loggers = TestLoggers.Create(output);

        var annaSays = Speech.Say("Yes dad, I am at the gate. I will wait for you here.", folder.File("anna.wav"));
        // The wearer presses twice, then speaks: the double press's first press takes the channel's floor for a moment
        // (docs/badge.md) and must carry no speech, or the channel's room would get that moment.
        var annaMic = folder.File("anna-mic.wav");
        Assert.True(Tools.Run("sox", annaSays, annaMic, "pad", "1.0", "0").ExitCode == 0, "sox failed");
        var dadSays = Speech.Say("Time for dinner. Wash your hands and come home now, please.", folder.File("dad.wav"));
        var dadOgg = Phone.RecordVoiceMessage(dadSays, folder.File("dad.ogg"));

        await using var hs = await WalkieTalkie.TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        await using var phone = await JsPeer.StartAsync("dad", output.WriteLine, cancellationToken: ct);
        var dad = await phone.SignUpCrossSignedAsync(hs.BaseUrl, "dad", ct);
        await phone.SetAutoJoinAsync(true, ct); // dad accepts the badge's direct chat, as a parent taps "accept"

        await using var gateway = await BridgedGateway.CreateAsync(folder, hs.BaseUrl,
            new MatrixBridgeOptions { SyncTimeout = TimeSpan.FromSeconds(5) }, loggers, ct);
        gateway.AddChannel(1, "yard", Rate, 30);
        var secrets = new Dictionary<string, string> { ["anna"] = gateway.AddBadge("anna", "Anna", channel: 1), ["ben"] = gateway.AddBadge("ben", "Ben", channel: 1) };
        var anna = await gateway.LinkBadgeAsync("anna", ct);
        var groupRoom = await phone.CreateRoomAsync("Yard", [anna.UserId], encrypted: true, cancellationToken: ct);
        gateway.SaveChannelLink("yard", groupRoom, dad.UserId);
        await gateway.StartAsync(ct);
        await phone.WaitForMembersAsync(groupRoom, [dad.UserId, anna.UserId], cancellationToken: ct);

        // Dad's phone may talk in the room (granted as its admin, accepted as its owner).
        var stateKey = $"device/{dad.UserId}/{dad.DeviceId}";
        await phone.SendStateEventAsync(groupRoom, WalkieEventTypes.Permit, stateKey,
            new JsonObject { ["user_id"] = dad.UserId, ["device_id"] = dad.DeviceId, ["receive"] = true, ["send"] = true }, ct);
        await phone.SendStateEventAsync(groupRoom, WalkieEventTypes.Accept, stateKey,
            new JsonObject { ["user_id"] = dad.UserId, ["device_id"] = dad.DeviceId, ["receive"] = true }, ct);
        await Until(() => gateway.Bridge!.Bridges["yard"].Room.RightsAt(new DeviceKey(dad.UserId, dad.DeviceId), DateTimeOffset.UtcNow).MaySend,
            TimeSpan.FromSeconds(30), "the bridge to learn that dad's phone may send", ct);

        var logs = new ConcurrentQueue<(string Badge, string Line)>();
        await using (var fleet = StartFleet(gateway.Port, secrets, annaMic, logs))
        {
            Assert.True(await fleet.WaitUntilAsync(f => f.Badges.All(b => b.Mode == BadgeMode.Idle), TimeSpan.FromSeconds(15), ct), "the badges did not connect");
            var (annaBadge, benBadge) = (fleet.Badges[0], fleet.Badges[1]);

            // Dad talks to the channel: both badges play it, and dad is the last talker they heard.
            var fromDad = await phone.SendVoiceMessageAsync(groupRoom, dadOgg, cancellationToken: ct);
            await Until(() => gateway.Bridge!.IncomingEvents!.OutcomeOf(fromDad.EventId) is not null, TimeSpan.FromSeconds(30), "dad's message to be handled", ct);
            Assert.Equal("played", gateway.Bridge!.IncomingEvents!.OutcomeOf(fromDad.EventId));
            Assert.True(await fleet.WaitUntilAsync(f => f.Badges.All(b => b.Bursts.Any(x => x.Complete) && b.Mode == BadgeMode.Idle),
                TimeSpan.FromSeconds(60), ct), "the badges did not play dad's message");

            await DoublePressAndSayAsync(fleet, annaBadge, PcmClip.Load(annaMic).Seconds, logs, ct);

            // The reply arrives in a direct room the gateway made between anna's account and dad.
            DirectRoom? direct = null;
            await Until(() => (direct = new SqliteDirectRoomStore(gateway.Database).Find("anna", dad.UserId)) is not null, TimeSpan.FromSeconds(60),
                "the gateway to make a direct room", ct);
            var dm = direct!.RoomId;
            Assert.NotEqual(groupRoom, dm);
            var reply = await phone.WaitForEventAsync(dm, sender: anna.UserId, msgtype: "m.audio", timeout: TimeSpan.FromSeconds(90), cancellationToken: ct);
            Assert.Null(reply.DecryptionFailure);
            Assert.True(reply.Encrypted, "the reply was sent in the clear");
            Assert.Equal(anna.DeviceId, reply.SenderDeviceId);
            Assert.True(reply.Shield!.IsNone, $"js-sdk shows a shield: {reply.Shield}");
            Assert.True(reply.IsVoiceMessage);
            AssertCorrelates(await DecodeAsync(phone, reply, folder.File("reply-1"), ct), annaSays, folder);

            // The room is a direct chat as Element makes one: dad invited with is_direct, encrypted, in anna's m.direct.
            var dadMember = (await phone.RoomStateAsync(dm, "m.room.member", ct)).Single(e => e.StateKey == dad.UserId);
            Assert.Equal("join", dadMember.Content["membership"]?.GetValue<string>());
            var encryption = (await phone.RoomStateAsync(dm, "m.room.encryption", ct)).Single();
            Assert.Equal("m.megolm.v1.aes-sha2", encryption.Content["algorithm"]?.GetValue<string>());
            Assert.True(hs.RoomEvents(dm).Any(e => e["type"]?.GetValue<string>() == "m.room.member" && e["state_key"]?.GetValue<string>() == dad.UserId
                && e["content"]?["is_direct"]?.GetValue<bool>() == true), "dad's invite was not marked is_direct");
            var mDirect = await gateway.Bridge!.Devices.Find(anna.UserId)!.Client.GetAccountDataAsync("m.direct", ct);
            Assert.Contains(dm, mDirect![dad.UserId]!.AsArray().Select(r => r!.GetValue<string>()));

            // Dad answers in the direct room: anna plays it, privately; ben hears nothing.
            var benHeard = benBadge.Bursts.Count;
            var annaHeard = annaBadge.Bursts.Count;
            var answer = await phone.SendVoiceMessageAsync(dm, dadOgg, cancellationToken: ct);
            await Until(() => gateway.Bridge!.IncomingEvents!.OutcomeOf(answer.EventId) is not null, TimeSpan.FromSeconds(30), "dad's answer to be handled", ct);
            Assert.Equal("played", gateway.Bridge!.IncomingEvents!.OutcomeOf(answer.EventId));
            Assert.True(await fleet.WaitUntilAsync(_ => annaBadge.Bursts.Count > annaHeard && annaBadge.Bursts[^1].Complete && annaBadge.Mode == BadgeMode.Idle,
                TimeSpan.FromSeconds(60), ct), "anna did not play dad's answer");
            Assert.Contains(logs, l => l.Badge == "anna" && l.Line.Contains("tone PrivateIncoming", StringComparison.Ordinal));
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            Assert.Equal(benHeard, benBadge.Bursts.Count);
            Assert.DoesNotContain(logs, l => l.Badge == "ben" && l.Line.Contains("tone PrivateIncoming", StringComparison.Ordinal));
            await fleet.StopAsync();
        }

        // The channel's room got dad's message and nothing from anna.
        Assert.Empty(await phone.EventsAsync(groupRoom, sender: anna.UserId, type: "m.room.message", cancellationToken: ct));

        // After a restart, anna's next reply (dad is still her last talker, kept with his user id) reuses the room.
        await gateway.RestartAsync(ct);
        await using (var fleet = StartFleet(gateway.Port, secrets, annaMic, logs))
        {
            Assert.True(await fleet.WaitUntilAsync(f => f.Badges.All(b => b.Mode == BadgeMode.Idle), TimeSpan.FromSeconds(15), ct), "the badges did not reconnect");
            await DoublePressAndSayAsync(fleet, fleet.Badges[0], PcmClip.Load(annaMic).Seconds, logs, ct);
            var dm = Assert.Single(new SqliteDirectRoomStore(gateway.Database).All()).RoomId;
            var replies = await phone.WaitForEventsAsync(dm, 2, sender: anna.UserId, msgtype: "m.audio", timeout: TimeSpan.FromSeconds(90), cancellationToken: ct);
            Assert.All(replies, r => Assert.Null(r.DecryptionFailure));
            AssertCorrelates(await DecodeAsync(phone, replies[1], folder.File("reply-2"), ct), annaSays, folder);
            await fleet.StopAsync();
        }

        Assert.Single(new SqliteDirectRoomStore(gateway.Database).All());
        Assert.Empty(await phone.EventsAsync(groupRoom, sender: anna.UserId, type: "m.room.message", cancellationToken: ct));
        Assert.Empty(hs.ServerErrors);
        folder.Passed();
    }

    private VirtualBadgeFleet StartFleet(int port, Dictionary<string, string> secrets, string annaMic, ConcurrentQueue<(string, string)> logs)
    {
        var tunables = VirtualBadgeSettings.DefaultTunables();
        tunables.JitterSlots = 32;
        tunables.JitterPrefill = Rate / (2 * 321) + 1;
        tunables.InboxSlots = 64;
        // No latency trim: it plays blocks shorter to take back latency a stall of this loaded process added, which moves
        // the rest of the burst in time as the stall did, and the speech correlation cannot follow (0.09-0.69 seen).
        tunables.LatencyTrimWindowMilliseconds = 0;
        // A loaded machine stretched the test's 100 ms between the presses to 800 ms of the badge's clock: a wider window.
        tunables.DoublePressMilliseconds = 2000;
        var fleet = new VirtualBadgeFleet
        {
            Log = (badge, line) =>
            {
                logs.Enqueue((badge, line));
                output.WriteLine($"{badge}: {line}");
            },
        };
        foreach (var (id, secret) in secrets)
        {
            fleet.Add(new VirtualBadgeSettings
            {
                Id = id, Port = port, Password = secret, MicWav = id == "anna" ? annaMic : null, Tunables = tunables, SpeakerQueueMilliseconds = 200,
                Channels = [new VirtualChannel(1, Rate)],
            });
        }

        fleet.Start();
        return fleet;
    }

    /// <summary>Press, let go, press again within the double-press window and hold while the microphone speaks.</summary>
    private static async Task DoublePressAndSayAsync(VirtualBadgeFleet fleet, VirtualBadge badge, double seconds,
        ConcurrentQueue<(string Badge, string Line)> logs, CancellationToken ct)
    {
        var before = logs.Count(l => l.Badge == badge.Id && l.Line.Contains("tone PrivateTalk", StringComparison.Ordinal));
        badge.SetTalk(true);
        await Task.Delay(100, ct);
        badge.SetTalk(false);
        await Task.Delay(100, ct);
        badge.SetTalk(true);
        // The badge's private-talk tone is its grant of the reply.
        Assert.True(await fleet.WaitUntilAsync(_ => logs.Count(l => l.Badge == badge.Id && l.Line.Contains("tone PrivateTalk", StringComparison.Ordinal)) > before,
            TimeSpan.FromSeconds(10), ct), "the private reply was not granted");
        await Task.Delay(TimeSpan.FromSeconds(seconds + 0.5), ct);
        badge.SetTalk(false);
        Assert.True(await fleet.WaitUntilAsync(_ => badge.Mode == BadgeMode.Idle, TimeSpan.FromSeconds(10), ct), "the badge did not end its reply");
    }

    private static async Task<PcmClip> DecodeAsync(JsPeer phone, ReceivedEvent voice, string stem, CancellationToken ct)
    {
        await phone.DownloadAttachmentAsync(voice.EventId, stem + ".ogg", cancellationToken: ct);
        var decode = Tools.Run("opusdec", "--rate", Rate.ToString(), stem + ".ogg", stem + ".wav");
        Assert.True(decode.ExitCode == 0, $"opusdec failed: {decode.Output}");
        return PcmClip.Load(stem + ".wav");
    }

    private void AssertCorrelates(PcmClip decoded, string spoken, TestFolder folder)
    {
        var input = PcmClip.Load(spoken).At(Rate).Samples;
        var (peak, lag) = Correlation.Best(input, decoded.Samples, 0, 3 * Rate, coarseStep: 2);
        var other = PcmClip.Load(Speech.Say("The quick brown fox jumps over the lazy dog twice.", folder.File("other.wav"))).At(Rate).Samples;
        var (otherPeak, _) = Correlation.Best(other, decoded.Samples, 0, 3 * Rate, coarseStep: 2);
        output.WriteLine($"reply correlates {peak:0.000} at {lag * 1000.0 / Rate:0} ms ({decoded.Seconds:0.00} s decoded); other speech {otherPeak:0.000}");
        Assert.True(peak >= CorrelationFloor, $"correlation {peak:0.000} is below {CorrelationFloor}");
        Assert.True(otherPeak < CorrelationFloor / 2, $"unrelated speech correlates {otherPeak:0.000}");
    }

    private static async Task Until(Func<bool> condition, TimeSpan limit, string what, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {limit.TotalSeconds:0} s waiting for {what}");
            await Task.Delay(100, ct);
        }
    }
}
