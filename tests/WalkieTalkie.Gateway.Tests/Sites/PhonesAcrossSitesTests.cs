using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Tests.Sites.Support;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Interop;
using WalkieTalkie.Media.Opus;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;
using Xunit.Abstractions;

namespace WalkieTalkie.Gateway.Tests.Sites;

/// <summary>
/// Issue 16, items 2 and 5, with both sites' Matrix bridges on: a matrix-js-sdk phone (only-signed-devices, cross-signed,
/// its device granted and consenting in the encrypted room) sends voice messages that both bridges receive. Linked, the
/// message plays once at each site, played into the floor by site A (the lowest gateway id) and heard live at site B;
/// a badge's burst at A plays live at B and lands in the room once; with the link cut, each site plays the phone's
/// message itself, once. What the badges heard is found by correlation with the speech the phone sent.
/// </summary>
[Collection(TwoSites.Collection)]
public sealed class PhonesAcrossSitesTests(ITestOutputHelper output)
{
    private const int Rate = 8000;

    /// <summary>Opus at 8 kHz, then the gateway's ADPCM, against the signal the phone encoded (the same floor as the bridge's end-to-end tests).</summary>
    private const double CorrelationFloor = 0.7;

    [Fact]
    public async Task A_phones_voice_message_plays_once_at_each_site_linked_or_cut_and_a_badges_burst_lands_in_the_room_once()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;
        var folder = Directory.CreateTempSubdirectory("wt-sites-phone-").FullName;
        await using var sites = await TwoSites.StartAsync(["anna"], ["bert"], bridges: true);
        var server = sites.Homeserver.ServerName;
        string[] badgeUsers = [$"@walkie-anna:{server}", $"@walkie-bert:{server}"];

        await using var phone = await JsPeer.StartAsync("dad", output.WriteLine, cancellationToken: ct);
        var dad = await phone.LoginAsync(sites.Homeserver.BaseUrl, sites.Phone!.Localpart, sites.Phone.Password, cancellationToken: ct);
        await phone.StartClientAsync(DeviceIsolation.OnlySignedDevices, cancellationToken: ct);
        Assert.True(await phone.BootstrapCrossSigningAsync(password: sites.Phone.Password, cancellationToken: ct), "cross-signing is not ready on the phone");
        await phone.JoinRoomAsync(sites.RoomId, ct);
        Assert.True(await sites.LinkedAsync(), "the sites did not link");
        Assert.True(await Eventually.TrueAsync(() => Bridged(sites.A) && Bridged(sites.B), 60_000), "the bridges did not start");
        await phone.WaitForMembersAsync(sites.RoomId, badgeUsers, timeout: TimeSpan.FromSeconds(60), cancellationToken: ct);

        // Dad lets his phone talk in the room: he grants it as a room admin and consents for it as its owner.
        var stateKey = $"device/{dad.UserId}/{dad.DeviceId}";
        await phone.SendStateEventAsync(sites.RoomId, WalkieEventTypes.Permit, stateKey,
            new JsonObject { ["user_id"] = dad.UserId, ["device_id"] = dad.DeviceId, ["receive"] = true, ["send"] = true }, ct);
        await phone.SendStateEventAsync(sites.RoomId, WalkieEventTypes.Accept, stateKey,
            new JsonObject { ["user_id"] = dad.UserId, ["device_id"] = dad.DeviceId, ["receive"] = true }, ct);
        var dadsPhone = new DeviceKey(dad.UserId, dad.DeviceId);
        Assert.True(await Eventually.TrueAsync(() => MaySend(sites.A, dadsPhone) && MaySend(sites.B, dadsPhone), 30_000),
            "the bridges did not learn that dad's phone may send");

        var anna = await sites.A.ConnectAsync("anna");
        var bert = await sites.B.ConnectAsync("bert");

        // Linked: one play into the one floor, by site A (it sorts first); site B hears it live and drops its own copy.
        var first = Speech.Signal(seed: 11, seconds: 3, Rate);
        var firstEvent = await SendVoiceAsync(phone, sites.RoomId, first, Path.Combine(folder, "first.ogg"), ct);
        var atA = await HeardOnceAsync(sites, anna, first, firstEvent, skipBursts: 0, ct);
        var atB = await HeardOnceAsync(sites, bert, first, firstEvent, skipBursts: 0, ct);
        Assert.Equal(atA.Talker, atB.Talker);
        Assert.Single(Matrix(Index(sites.A)));
        Assert.Empty(Index(sites.B).Recent(10)); // B played A's live burst (never recorded here), not its own copy
        Assert.True(sites.B.Log.Contains(firstEvent, "site-a"), "site B did not say it heard the message live from site A");

        // A badge's burst at A plays live at B and lands in the room once: B's bridge neither posts it nor plays it back.
        var annaSignal = Speech.Signal(seed: 13, seconds: 2, Rate);
        await TwoSites.TalkAsync(anna, Speech.Encode(annaSignal, ImaAdpcm.DefaultSamplesPerBlock));
        var live = await bert.WaitForAsync<BurstStart>(s => s.Talker == "Anna", timeoutMs: 10_000);
        await bert.WaitForAsync<BurstEnd>(e => e.BurstId == live.BurstId, timeoutMs: 10_000);
        var posted = await phone.WaitForEventAsync(sites.RoomId, sender: badgeUsers[0], type: "m.room.message", msgtype: "m.audio",
            timeout: TimeSpan.FromSeconds(60), cancellationToken: ct);
        Assert.True(await Eventually.TrueAsync(() => TwoSites.BridgeOf(sites.B)?.IncomingEvents?.OutcomeOf(posted.EventId) is not null, 30_000),
            "site B's bridge did not handle anna's voice message");
        var outcome = TwoSites.BridgeOf(sites.B)!.IncomingEvents!.OutcomeOf(posted.EventId)!;
        output.WriteLine($"site B's bridge on anna's voice message: {outcome}");
        Assert.StartsWith("ignored", outcome);
        Assert.Contains("heard live", outcome);
        await Task.Delay(TimeSpan.FromSeconds(3), ct); // room for a second post or a play-back to show
        var voiceMessages = await phone.EventsAsync(sites.RoomId, type: "m.room.message", msgtype: "m.audio", cancellationToken: ct);
        Assert.Single(voiceMessages, e => badgeUsers.Contains(e.Sender));
        Assert.Equal(posted.EventId, voiceMessages.Single(e => badgeUsers.Contains(e.Sender)).EventId);
        Assert.Single(bert.Control.OfType<BurstStart>(), s => s.Talker == "Anna");
        Assert.Single(anna.Control.OfType<BurstStart>()); // the phone's message only: her own burst did not come back

        // Cut: each site owns its incoming path alone and plays the phone's next message itself, once.
        sites.Network.Cut();
        Assert.True(await Eventually.TrueAsync(() => !TwoSites.LinksOf(sites.A).IsLinked("site-b") && !TwoSites.LinksOf(sites.B).IsLinked("site-a"), 15_000),
            "the sites did not notice the cut");
        var second = Speech.Signal(seed: 15, seconds: 3, Rate);
        var secondEvent = await SendVoiceAsync(phone, sites.RoomId, second, Path.Combine(folder, "second.ogg"), ct);
        await HeardOnceAsync(sites, anna, second, secondEvent, skipBursts: 1, ct);
        await HeardOnceAsync(sites, bert, second, secondEvent, skipBursts: 2, ct);
        Assert.Equal(2, Matrix(Index(sites.A)).Count);
        Assert.Single(Matrix(Index(sites.B))); // played from its own copy this time
        Directory.Delete(folder, recursive: true);
    }

    private static bool Bridged(TestGateway site) => TwoSites.BridgeOf(site) is { } bridge && bridge.Bridges.ContainsKey("ch" + TwoSites.Channel);

    private static bool MaySend(TestGateway site, DeviceKey device) =>
        TwoSites.BridgeOf(site)?.Bridges["ch" + TwoSites.Channel].Room.RightsAt(device, DateTimeOffset.UtcNow).MaySend == true;

    private static IRecordingIndex Index(TestGateway site) => site.Host.Services.GetRequiredService<IRecordingIndex>();

    private static List<RecordingRecord> Matrix(IRecordingIndex index) =>
        index.Recent(20).Where(r => r.BadgeId.StartsWith(Talker.MatrixPrefix, StringComparison.Ordinal)).ToList();

    /// <summary>The phone records <paramref name="speech"/> as Ogg Opus and sends it as Element does; returns the event id.</summary>
    private static async Task<string> SendVoiceAsync(JsPeer phone, string roomId, short[] speech, string path, CancellationToken ct)
    {
        await File.WriteAllBytesAsync(path, OggOpusEncoder.Encode(speech, Rate), ct);
        var sent = await phone.SendVoiceMessageAsync(roomId, path, durationMs: speech.Length * 1000 / Rate, waveform: new int[100], cancellationToken: ct);
        return sent.EventId;
    }

    /// <summary>
    /// The badge hears the message as its next burst after <paramref name="skipBursts"/>, to its end, holding the speech;
    /// once both bridges handled the event (and a little longer), it heard nothing more.
    /// </summary>
    private async Task<BurstStart> HeardOnceAsync(TwoSites sites, TestBadge badge, short[] speech, string eventId, int skipBursts, CancellationToken ct)
    {
        var start = await badge.WaitForAsync<BurstStart>(_ => badge.Control.OfType<BurstStart>().Count() > skipBursts, timeoutMs: 60_000);
        start = badge.Control.OfType<BurstStart>().ElementAt(skipBursts);
        await badge.WaitForAsync<BurstEnd>(e => e.BurstId == start.BurstId, timeoutMs: 30_000);
        Assert.True(await Eventually.TrueAsync(() => Handled(sites.A, eventId) && Handled(sites.B, eventId), 30_000), "a bridge did not handle the voice message");
        await Task.Delay(TimeSpan.FromSeconds(3), ct); // a second play would start within this
        Assert.Equal(skipBursts + 1, badge.Control.OfType<BurstStart>().Count());

        var heard = Speech.DecodeFrames(badge.FramesOf(start.BurstId));
        var found = Speech.Heard(speech, heard, Rate);
        var control = Speech.Heard(Speech.Signal(seed: 99, seconds: 3, Rate), heard, Rate);
        output.WriteLine($"{badge.Id} heard burst {start.BurstId} from {start.Talker}: correlation {found.Score:0.000} " +
            $"({found.WeakPieces} of {found.Pieces} pieces weak), other speech {control.Score:0.000}");
        Assert.True(found.Score >= CorrelationFloor, $"{badge.Id}: correlation {found.Score:0.000} is below {CorrelationFloor}");
        Assert.True(control.Score < CorrelationFloor / 2, $"{badge.Id}: unrelated speech correlates {control.Score:0.000}");
        return start;
    }

    private static bool Handled(TestGateway site, string eventId) => TwoSites.BridgeOf(site)?.IncomingEvents?.OutcomeOf(eventId) is not null;
}
