using System.Security.Cryptography;
using System.Text.Json.Nodes;
using WalkieTalkie.Interop;
using static WalkieTalkie.TestHomeserver.Tests.Fixtures;

namespace WalkieTalkie.TestHomeserver.Tests;

/// <summary>The js-sdk peer's commands that the end-to-end tests of the gateway rely on, each against the test
/// homeserver with two js-sdk clients (Bob in only-signed-devices mode).</summary>
public sealed class JsPeerCommandTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("wt-jspeer-");

    [Fact]
    public async Task A_voice_message_arrives_shaped_as_Elements_and_downloads_to_the_same_Ogg_Opus_file()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;
        var ogg = await Tools.MakeOggOpusAsync(_folder.FullName, 2.5, ct);
        await using var pair = await PeerPair.StartAsync(output, ct);

        var sent = await pair.Alice.SendVoiceMessageAsync(pair.RoomId, ogg, cancellationToken: ct);
        Assert.InRange(sent.DurationMs, 2490, 2510);
        Assert.Equal(100, sent.Waveform.Count);
        Assert.All(sent.Waveform, v => Assert.InRange(v, 0, 1024));
        Assert.True(sent.Waveform.Take(10).Average() > 4 * sent.Waveform.Skip(90).Average(), string.Join(",", sent.Waveform)); // the fade
        Assert.Equal(1, sent.Channels);

        var received = await pair.Bob.WaitForEventAsync(pair.RoomId, eventId: sent.EventId, cancellationToken: ct);
        output.WriteLine("voice message as bob sees it: " + received.Content.ToJsonString());
        Assert.Null(received.DecryptionFailure);
        Assert.True(received.Shield!.IsNone, received.Shield.ToString());
        Assert.Equal("m.room.encrypted", received.WireType);
        Assert.Equal("m.audio", received.MsgType);
        Assert.True(received.IsVoiceMessage);
        var content = received.Content;
        Assert.Equal("audio/ogg", content["info"]!["mimetype"]!.GetValue<string>());
        Assert.Equal(sent.DurationMs, content["info"]!["duration"]!.GetValue<int>());
        Assert.Equal(new FileInfo(ogg).Length, content["info"]!["size"]!.GetValue<long>());
        Assert.Equal(sent.DurationMs, content["org.matrix.msc1767.audio"]!["duration"]!.GetValue<int>());
        Assert.Equal(sent.Waveform, ((JsonArray)content["org.matrix.msc1767.audio"]!["waveform"]!).Select(n => n!.GetValue<int>()));
        Assert.NotNull(content["org.matrix.msc1767.file"]?["file"]?["url"]);
        Assert.Null(content["url"]); // encrypted rooms carry "file", never a plaintext "url"

        var path = Path.Combine(_folder.FullName, "received.ogg");
        var downloaded = await pair.Bob.DownloadAttachmentAsync(sent.EventId, path, cancellationToken: ct);
        Assert.Equal(path, downloaded.Path);
        Assert.Equal(await File.ReadAllBytesAsync(ogg, ct), await File.ReadAllBytesAsync(path, ct));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(ogg, ct))), downloaded.Sha256);
        Assert.Contains("Playback length: 0m:02.5", await Tools.RunAsync("opusinfo", ct, path));

        var notOgg = Path.Combine(_folder.FullName, "not.ogg");
        await File.WriteAllBytesAsync(notOgg, RandomNumberGenerator.GetBytes(1000), ct);
        var refused = await Assert.ThrowsAsync<JsPeerException>(() => pair.Alice.SendVoiceMessageAsync(pair.RoomId, notOgg, cancellationToken: ct));
        Assert.Contains("not an Ogg file", refused.Message);
        Assert.Empty(pair.Homeserver.ServerErrors);
    }

    [Fact]
    public async Task A_read_receipt_sent_by_one_peer_is_seen_by_the_other_and_by_a_plain_sync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;
        await using var pair = await PeerPair.StartAsync(output, ct);
        var eventId = await pair.Alice.SendTextAsync(pair.RoomId, "heard?", ct);
        await pair.Bob.WaitForEventAsync(pair.RoomId, eventId: eventId, cancellationToken: ct);

        await pair.Bob.SendReceiptAsync(pair.RoomId, eventId, cancellationToken: ct);
        var receipt = await pair.Alice.WaitForReceiptAsync(pair.RoomId, eventId, pair.BobSession.UserId, cancellationToken: ct);
        Assert.Equal("m.read", receipt.Type);
        Assert.NotNull(receipt.Ts);
        // Only what the server sent: none of js-sdk's synthetic receipts (Alice implicitly read her own event).
        Assert.DoesNotContain(await pair.Bob.ReceiptsAsync(pair.RoomId, cancellationToken: ct), r => r.UserId == pair.AliceSession.UserId);

        using var plain = MatrixHttpClient.For(pair.Homeserver, pair.Homeserver.CreateSession(pair.AliceSession.UserId));
        var sync = await plain.SyncAsync(cancellationToken: ct);
        var ephemeral = (JsonArray)sync["rooms"]!["join"]![pair.RoomId]!["ephemeral"]!["events"]!;
        var content = ephemeral.Single(e => e!["type"]!.GetValue<string>() == "m.receipt")!["content"]!;
        Assert.NotNull(content[eventId]!["m.read"]![pair.BobSession.UserId]!["ts"]);
        Assert.Empty(pair.Homeserver.ServerErrors);
    }

    [Fact]
    public async Task Events_from_a_device_its_owner_did_not_sign_carry_a_shield()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;
        await using var pair = await PeerPair.StartAsync(output, ct);
        // A second device of Alice that never gets signed by her self-signing key.
        await using var unsigned = await JsPeer.StartAsync("alice2", output.WriteLine, cancellationToken: ct);
        var session = await unsigned.LoginAsync(pair.Homeserver.BaseUrl, "alice", "alice-pw", cancellationToken: ct);
        await unsigned.StartClientAsync(cancellationToken: ct);
        var trust = await pair.Bob.WaitForDeviceAsync(session.UserId, session.DeviceId, cancellationToken: ct);
        Assert.True(trust.Known && !trust.SignedByOwner, trust.ToString());

        var eventId = await unsigned.SendTextAsync(pair.RoomId, "from an unsigned device", ct);
        var received = await pair.Bob.WaitForEventAsync(pair.RoomId, eventId: eventId, timeout: TimeSpan.FromSeconds(10), cancellationToken: ct);
        output.WriteLine("as bob (only signed devices) sees it: " + received);
        Assert.Equal(session.DeviceId, received.SenderDeviceId);
        Assert.Equal("UNSIGNED_SENDER_DEVICE", received.DecryptionFailure);

        await pair.Bob.SetIsolationAsync(DeviceIsolation.AllDevices, ct);
        var again = await unsigned.SendTextAsync(pair.RoomId, "once more", ct);
        var shown = await pair.Bob.WaitForEventAsync(pair.RoomId, eventId: again, cancellationToken: ct);
        output.WriteLine("as bob (all devices) sees it: " + shown);
        Assert.Null(shown.DecryptionFailure);
        Assert.Equal("once more", shown.Body);
        Assert.False(shown.Shield!.IsNone, shown.Shield.ToString());
        Assert.Equal("UNSIGNED_DEVICE", shown.Shield.ReasonName);
    }

    [Fact]
    public async Task Several_events_are_reported_once_each_in_the_order_they_were_sent()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;
        await using var pair = await PeerPair.StartAsync(output, ct);
        var sent = new List<string>();
        for (var i = 1; i <= 5; i++)
        {
            sent.Add(await pair.Alice.SendTextAsync(pair.RoomId, $"burst {i}", ct));
        }

        var received = await pair.Bob.WaitForEventsAsync(pair.RoomId, 5, sender: pair.AliceSession.UserId, msgtype: "m.text", cancellationToken: ct);
        Assert.Equal(sent, received.Select(e => e.EventId));
        Assert.Equal(["burst 1", "burst 2", "burst 3", "burst 4", "burst 5"], received.Select(e => e.Body));
        Assert.All(received, e => Assert.True(e.Shield!.IsNone));
        var all = await pair.Bob.EventsAsync(pair.RoomId, type: "m.room.message", cancellationToken: ct);
        Assert.Equal(sent, all.Select(e => e.EventId));

        var more = await Assert.ThrowsAsync<JsPeerException>(() =>
            pair.Bob.WaitForEventsAsync(pair.RoomId, 6, msgtype: "m.text", timeout: TimeSpan.FromSeconds(1), cancellationToken: ct));
        Assert.Contains("5 of 6", more.Message);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
