using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Simulation;
using WalkieTalkie.Badge.Simulation.Audio;
using WalkieTalkie.Badge.Simulation.Tests.Support;
using WalkieTalkie.EndToEnd.Tests.Support;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Storage.Sqlite.Bridge;
using WalkieTalkie.Interop;
using WalkieTalkie.TestHomeserver;

namespace WalkieTalkie.EndToEnd.Tests;

/// <summary>
/// Issue 6: "the homeserver is taken away for a minute in the middle of a conversation: every burst arrives after it
/// comes back, once, in order". A virtual badge talks four bursts of different speech into the gateway (embedded
/// broker, the bridge on the in-process test homeserver). Once a matrix-js-sdk client has the first, the homeserver
/// goes away for <see cref="Outage"/>; two bursts are spoken while it is away (the gateway grants and records them
/// as usual), then the gateway's Matrix side restarts and cannot start until the homeserver returns; a fourth burst is
/// spoken right after the return. The js-sdk client must then hold four voice messages from the badge's
/// device, each once, in the order spoken (each decodes to audio that correlates best with its own speech), none with
/// a shield, all in one thread rooted at the first, each replying to an earlier burst of the thread.
/// </summary>
/// <remarks>
/// Measured (<c>dotnet test tests/WalkieTalkie.EndToEnd.Tests --filter FullyQualifiedName~HomeserverOutageTests</c>,
/// both kinds, three runs each, 2 cores shared): all four messages were on the phone 4.6 to 6.6 s after the homeserver
/// came back; each message against sentences 1-4 scored 0.904/0.905/0.909/0.883 with its own and at most 0.097 with
/// another;
/// behind the 502 proxy the bridge tried 8 or 9 uploads in the minute (258 before the host backed off a blocked
/// channel); the badge's device heard a text the phone sent at the return 0.5 to 5.4 s later. (With the Matrix client's
/// 60 s sync cap it was 4.4 s too: after exactly a minute its sixth retry falls at about 63 s; the cap matters for
/// longer outages, where a retry could come up to a minute after the return.) With the bridge restarted half a minute
/// into the outage: it started 0.8 and 3.0 s after the return, all four messages were on the phone 5.2 and 7.0 s
/// after it, the badge heard the phone 4.4 s after it, and 5 uploads were tried behind the 502 proxy.
/// </remarks>
public class HomeserverOutageTests(ITestOutputHelper output)
{
    /// <summary>How long the homeserver is away: "for a minute", as issue 6 says.</summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(60);

    /// <summary>When, after the homeserver went away, the two bursts of the outage start.</summary>
    private static readonly TimeSpan[] SpokenDuringOutageAt = [TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(25)];

    /// <summary>As in <see cref="OutgoingVoiceMessageTests"/>: one burst there measured 0.904 against its speech and
    /// 0.090 against other speech.</summary>
    private const double CorrelationFloor = 0.75;

    private const int Rate = 8000;

    /// <summary>Silence between the sentences on the microphone: each burst is held for its sentence plus this, so the
    /// next burst starts at the next sentence.</summary>
    private const double PadSeconds = 1.0;

    /// <summary>How far from a sentence's start a message is searched for on the microphone.</summary>
    private const double SearchSeconds = 1.5;

    private static readonly string[] Sentences =
    [
        "Hello from the playground. Please come and pick me up at four.",
        "We are walking to the library now with the teacher.",
        "My shoes are wet. Can you bring the red boots?",
        "The bus is here. See you at home for dinner.",
    ];

    [Theory]
    [InlineData(OutageKind.ConnectionRefused)]
    [InlineData(OutageKind.BadGateway)]
    public async Task Bursts_spoken_while_the_homeserver_is_away_arrive_after_it_returns_once_each_in_order(OutageKind kind)
    {
        Assert.True(Speech.IsInstalled, "espeak-ng is needed (scripts/deps/apt-packages)");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var ct = timeout.Token;
        using var folder = TestFolder.Create("wt-e2e-outage-", output);
        using var loggers = TestLoggers.Create(output);
        var log = loggers.CreateLogger("test");

        var clips = Sentences.Select((s, i) => Speech.Say(s, folder.File($"spoken{i + 1}.wav"))).ToList();
        var speeches = clips.Select(PcmClip.Load).ToList();
        var mic = Microphone(folder, clips);

        await using var hs = await WalkieTalkie.TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        await using var phone = await JsPeer.StartAsync("phone", output.WriteLine, cancellationToken: ct);
        var dad = await phone.SignUpCrossSignedAsync(hs.BaseUrl, "dad", ct);

        // The gateway's registry: one badge on channel 1 (as in OutgoingVoiceMessageTests).
        await using var gateway = await BridgedGateway.CreateAsync(folder, hs.BaseUrl,
            new MatrixBridgeOptions { SyncTimeout = TimeSpan.FromSeconds(5) }, loggers, ct);
        var (database, matrix) = (gateway.Database, gateway.Matrix);
        gateway.AddChannel(1, "playground", Rate, 30);
        var secret = gateway.AddBadge("kid", "Kid", channel: 1);
        var badgeLink = await gateway.LinkBadgeAsync("kid", ct);
        var roomId = await phone.CreateRoomAsync("Playground", [badgeLink.UserId], encrypted: true, cancellationToken: ct);
        gateway.SaveChannelLink("playground", roomId, dad.UserId);

        await gateway.StartAsync(ct);
        var port = gateway.Port;
        await phone.WaitForMembersAsync(roomId, [dad.UserId, badgeLink.UserId], cancellationToken: ct);

        await using var fleet = new VirtualBadgeFleet { Log = (_, line) => output.WriteLine(line) };
        fleet.Add(new VirtualBadgeSettings { Id = "kid", Port = port, Password = secret, MicWav = mic, Channels = [new VirtualChannel(1, Rate)] });
        fleet.Start();
        var kid = fleet.Badges[0];
        Assert.True(await fleet.WaitUntilAsync(_ => kid.Mode == BadgeMode.Idle, TimeSpan.FromSeconds(15), ct), "the badge did not connect");

        // Burst 1 with the homeserver there; the phone has it before the outage starts.
        await TalkAsync(fleet, kid, speeches[0], ct);
        var first = await phone.WaitForEventAsync(roomId, sender: badgeLink.UserId, msgtype: "m.audio", timeout: TimeSpan.FromSeconds(90),
            cancellationToken: ct);
        output.WriteLine($"burst 1 arrived as {first.EventId}; the homeserver goes away ({kind}) for {Outage.TotalSeconds:0} s");

        // The outage: bursts 2 and 3 are granted and recorded by the gateway as if nothing happened.
        var requestsBefore = hs.Requests.Count;
        var away = DateTime.UtcNow;
        await hs.GoOfflineAsync(kind);
        Task<(MatrixBridgeHost? Host, DateTime At)>? restarting = null;
        for (var i = 0; i < SpokenDuringOutageAt.Length; i++)
        {
            await DelayUntilAsync(away + SpokenDuringOutageAt[i], ct);
            await TalkAsync(fleet, kid, speeches[i + 1], ct);
            if (i < SpokenDuringOutageAt.Length - 1)
            {
                continue;
            }
            // Then the gateway's Matrix side restarts, half a minute into the outage (as after a power cut that
            // took the router down too): it cannot start until the homeserver answers, and must keep trying
            // (GatewayService starts it the same way). Its state (feed, threads, outbox, keys) is all on disk.
            await gateway.StopBridgeAsync();
            restarting = Task.Run(async () =>
            {
                var host = await BridgeStarter.StartWhenReachableAsync(
                    gateway.StartBridgeAsync,
                    TimeSpan.FromSeconds(matrix.HomeserverRetryMaxSeconds), log, ct);
                return (host, DateTime.UtcNow);
            }, ct);
        }
        Assert.True(await WaitAsync(() => FinishedRecordings(database) == 3, TimeSpan.FromSeconds(10), ct),
            $"the gateway recorded {FinishedRecordings(database)} bursts of 3 during the outage");
        // Nothing is lost and nothing skipped: burst 2 is still the oldest unacknowledged burst of the channel.
        var waiting = await new SqliteBurstFeed(database).PeekAsync("playground", ct);
        Assert.NotNull(waiting);
        Assert.Equal(SecondBurstId(database), waiting!.BurstId);
        await DelayUntilAsync(away + Outage, ct);
        var outageRequests = hs.Requests.Skip(requestsBefore).ToList();
        await hs.GoOnlineAsync(ct);
        var back = DateTime.UtcNow;
        if (kind == OutageKind.BadGateway)
        {
            // Behind a proxy every attempt is answered (and counted): the bridge must back off, not hammer. Before
            // the host's backoff this was 258 uploads in the minute; with 1 s doubling to 10 s, and the bridge
            // down for the last half minute, it is about 6.
            var uploads = outageRequests.Count(r => r.Path.Contains("/media/v3/upload", StringComparison.Ordinal));
            Assert.InRange(uploads, 1, 20);
        }
        output.WriteLine($"the homeserver is back after {(back - away).TotalSeconds:0.0} s; requests answered during the outage: " +
            string.Join(", ", outageRequests.GroupBy(r => $"{r.Method} {Shape(r.Path)} {r.Status}").Select(g => $"{g.Key} x{g.Count()}")));

        Assert.False(restarting!.IsCompleted, "the bridge started while the homeserver was away");
        var phoneSent = phone.SendTextAsync(roomId, "back", ct);

        // Burst 4 right after the return, while the backlog may still be on its way: it must still come last.
        await TalkAsync(fleet, kid, speeches[3], ct);
        await phoneSent;
        var (restarted, restartedAt) = await restarting.WaitAsync(TimeSpan.FromSeconds(90), ct);
        var bridge = restarted ?? throw new Xunit.Sdk.XunitException("the bridge gave up starting");
        output.WriteLine($"the bridge started {(restartedAt - back).TotalSeconds:0.0} s after the homeserver came back");

        // The badge's device hears the room again: the phone's text sent at the return arrives.
        await bridge.Devices.Of(badgeLink.UserId).WaitForRoomEventAsync(e => e.Content["body"]?.GetValue<string>() == "back", ct)
            .WaitAsync(TimeSpan.FromSeconds(60), ct);
        var deafFor = DateTime.UtcNow - back;
        output.WriteLine($"the badge's device heard the phone {deafFor.TotalSeconds:0.0} s after the homeserver came back");
        // A start attempt in flight at the return (5 tries of a key upload, 1+2+4+8 s apart), then at most
        // HomeserverRetryMaxSeconds (10 s, +20 %) before the next one, then the start and a sync.
        Assert.True(deafFor < TimeSpan.FromSeconds(45), $"the badge heard the room only {deafFor.TotalSeconds:0.0} s after the return");
        await fleet.StopAsync();
        // The badge is idle once it sent its release; the gateway ends the burst and closes its recording after that.
        Assert.True(await WaitAsync(() => FinishedRecordings(database) == 4, TimeSpan.FromSeconds(10), ct),
            $"the gateway recorded {FinishedRecordings(database)} bursts of 4");

        var events = await phone.WaitForEventsAsync(roomId, 4, sender: badgeLink.UserId, msgtype: "m.audio", timeout: TimeSpan.FromMinutes(3),
            cancellationToken: ct);
        output.WriteLine($"all four arrived {(DateTime.UtcNow - back).TotalSeconds:0.0} s after the homeserver came back");
        Assert.Equal(first.EventId, events[0].EventId);

        // Once each: a little later there are still exactly four messages from the badge, and the server holds four.
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var all = await phone.EventsAsync(roomId, sender: badgeLink.UserId, cancellationToken: ct);
        Assert.Equal(4, all.Count(e => e.Type == "m.room.message"));
        Assert.Equal(events.Select(e => e.EventId), all.Where(e => e.Type == "m.room.message").Select(e => e.EventId));
        var onServer = hs.RoomEvents(roomId).Where(e => e["sender"]?.GetValue<string>() == badgeLink.UserId
                                                       && e["type"]?.GetValue<string>() == "m.room.encrypted").ToList();
        Assert.Equal(events.Select(e => e.EventId), onServer.Select(e => e["event_id"]!.GetValue<string>()));

        // Each as sent from the badge's own device, decrypted, without a shield.
        foreach (var ev in events)
        {
            Assert.Null(ev.DecryptionFailure);
            Assert.True(ev.Encrypted, "a voice message was sent in the clear");
            Assert.Equal(badgeLink.DeviceId, ev.SenderDeviceId);
            Assert.NotNull(ev.Shield);
            Assert.True(ev.Shield!.IsNone, $"js-sdk shows a shield on {ev.EventId}: {ev.Shield}");
            Assert.True(ev.IsVoiceMessage);
        }

        // In the order spoken: message k holds sentence k. Each message is searched for in the microphone's
        // recording around where each sentence starts (the badge's microphone resumes where the last burst left
        // it, a few tens of ms either side of the sentence's start); it must match its own sentence best.
        var micAudio = PcmClip.Load(mic).At(Rate).Samples;
        var starts = SentenceStarts(speeches);
        for (var k = 0; k < events.Count; k++)
        {
            var decoded = await DecodeAsync(phone, events[k], folder.File($"received{k + 1}"), ct);
            var scores = starts.Select(start => Correlation.Best(decoded.Samples, micAudio,
                (int)((start - SearchSeconds) * Rate), (int)((start + SearchSeconds) * Rate), coarseStep: 2)).ToList();
            output.WriteLine($"message {k + 1} ({events[k].EventId}) against sentences 1-4: " +
                string.Join(" ", scores.Select((s, j) => $"{s.Peak:0.000}@{s.Lag * 1000.0 / Rate - starts[j] * 1000:+0;-0}ms")));
            Assert.True(scores[k].Peak >= CorrelationFloor, $"message {k + 1} correlates {scores[k].Peak:0.000} with its own speech, below {CorrelationFloor}");
            Assert.Equal(k, scores.FindIndex(s => s.Peak == scores.Max(x => x.Peak)));
        }

        // One thread, rooted at burst 1; each later burst replies to an earlier burst of the thread. Read from the
        // server (relations travel in the clear) and from what js-sdk decrypted.
        var rootId = events[0].EventId;
        Assert.Null(onServer[0]["content"]!["m.relates_to"]);
        for (var k = 1; k < events.Count; k++)
        {
            foreach (var relation in new[] { onServer[k]["content"]!["m.relates_to"], events[k].Content["m.relates_to"] })
            {
                Assert.NotNull(relation);
                Assert.Equal("m.thread", relation!["rel_type"]?.GetValue<string>());
                Assert.Equal(rootId, relation["event_id"]?.GetValue<string>());
                Assert.True(relation["is_falling_back"]?.GetValue<bool>(), $"message {k + 1}: no reply fallback");
                var repliesTo = relation["m.in_reply_to"]?["event_id"]?.GetValue<string>();
                Assert.Contains(repliesTo, events.Take(k).Select(e => e.EventId));
            }
        }

        // The bridge has nothing left: every burst acknowledged, the badge's outbox all sent.
        Assert.Null(await new SqliteBurstFeed(database).PeekAsync("playground", ct));
        var entries = await bridge.Devices.Of(badgeLink.UserId).Outbox.ListAsync(cancellationToken: ct);
        Assert.All(entries, e => Assert.Equal(WalkieTalkie.Matrix.Sending.OutboxState.Sent, e.State));
        Assert.Empty(hs.ServerErrors);
        folder.Passed();
    }

    /// <summary>Where each sentence starts on the microphone, in seconds.</summary>
    private static List<double> SentenceStarts(IEnumerable<PcmClip> speeches)
    {
        var starts = new List<double>();
        var at = 0.0;
        foreach (var speech in speeches)
        {
            starts.Add(at);
            at += speech.Seconds + PadSeconds;
        }
        return starts;
    }

    /// <summary>One burst: push-to-talk until the floor is granted, held for the sentence and the pad after it.</summary>
    private static async Task TalkAsync(VirtualBadgeFleet fleet, WalkieTalkie.Badge.Simulation.VirtualBadge kid, PcmClip sentence, CancellationToken ct)
    {
        kid.SetTalk(true);
        Assert.True(await fleet.WaitUntilAsync(_ => kid.Mode == BadgeMode.Talking, TimeSpan.FromSeconds(10), ct), "the floor was not granted");
        await Task.Delay(TimeSpan.FromSeconds(sentence.Seconds + PadSeconds), ct);
        kid.SetTalk(false);
        Assert.True(await fleet.WaitUntilAsync(_ => kid.Mode == BadgeMode.Idle, TimeSpan.FromSeconds(10), ct), "the badge did not end its burst");
    }

    /// <summary>The microphone: the sentences one after another, each followed by <see cref="PadSeconds"/> of silence.</summary>
    private static string Microphone(TestFolder folder, IReadOnlyList<string> clips)
    {
        var rate = PcmClip.Load(clips[0]).SampleRate;
        var silence = folder.File("pad.wav");
        var made = Tools.Run("sox", "-n", "-r", rate.ToString(), "-c", "1", "-b", "16", silence, "trim", "0", PadSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(made.ExitCode == 0, made.Output);
        var mic = folder.File("mic.wav");
        var joined = Tools.Run("sox", [.. clips.SelectMany(c => new[] { c, silence }), mic]);
        Assert.True(joined.ExitCode == 0, joined.Output);
        return mic;
    }

    private static async Task<PcmClip> DecodeAsync(JsPeer phone, ReceivedEvent ev, string path, CancellationToken ct)
    {
        var file = await phone.DownloadAttachmentAsync(ev.EventId, path + ".ogg", cancellationToken: ct);
        Assert.Equal(ev.Content["info"]?["size"]?.GetValue<long>(), file.Size);
        var decode = Tools.Run("opusdec", "--rate", Rate.ToString(), path + ".ogg", path + ".wav");
        Assert.True(decode.ExitCode == 0, $"opusdec failed: {decode.Output}");
        return PcmClip.Load(path + ".wav");
    }

    private static int FinishedRecordings(SqliteDatabase database)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM recordings WHERE finished = 1";
        return Convert.ToInt32(command.ExecuteScalar());
    }

    private static uint SecondBurstId(SqliteDatabase database)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT burst_id FROM recordings WHERE finished = 1 ORDER BY burst_id LIMIT 1 OFFSET 1";
        return Convert.ToUInt32(command.ExecuteScalar());
    }

    /// <summary>A request path with its ids cut off, to group the outage's requests by endpoint.</summary>
    private static string Shape(string path) =>
        string.Join('/', path.Split('/').Select(p => p.Length > 0 && (p[0] is '!' or '@' or '$' or '%' || p.StartsWith("wt", StringComparison.Ordinal)) ? "*" : p));

    private static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan limit, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50, ct);
        }
        return true;
    }

    private static async Task DelayUntilAsync(DateTime when, CancellationToken ct)
    {
        var left = when - DateTime.UtcNow;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left, ct);
        }
    }
}
