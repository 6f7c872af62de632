using System.Security.Cryptography;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Machine;
using WalkieTalkie.Matrix.Device;
using WalkieTalkie.Matrix.Sending;
using static WalkieTalkie.Matrix.Client.Tests.Support.Harness;

namespace WalkieTalkie.Matrix.Client.Tests.Device;

/// <summary>Badges as Matrix devices on the test homeserver: encryption both ways, attachments, a crash at the worst
/// moment of a sync, an outage in the middle of a conversation, and restarts.</summary>
public sealed class MatrixDeviceTests
{
    private static JsonObject Text(string body) => new() { ["msgtype"] = "m.text", ["body"] = body };

    [Fact]
    public async Task Two_badges_exchange_encrypted_messages_and_attachments_and_see_each_other_cross_signed()
    {
        var ct = Bounded(TimeSpan.FromMinutes(2));
        await using var badges = await Badges.StartAsync(ct);
        var anna = await badges.StartBadgeAsync("anna", ct);
        var ben = await badges.StartBadgeAsync("ben", ct);
        var room = await badges.EncryptedRoomAsync(anna, [ben], ct);

        var sent = await anna.WaitUntilSentAsync(await anna.SendAsync(room, "m.room.message", Text("Ben, where are you?"), ct), ct);
        var atBen = await ben.WaitForRoomEventAsync(e => e.EventId == sent, ct);
        Assert.True(atBen.Encrypted);
        Assert.Equal("Ben, where are you?", atBen.Content["body"]!.GetValue<string>());
        Assert.Equal(("@walkie-anna:test.local", "BADGEANNA"), (atBen.Sender, atBen.SenderDeviceId));
        Assert.Equal(VerificationState.CrossSigned, atBen.SenderVerification);
        var wire = badges.Homeserver.RoomEvents(room).Single(e => e["event_id"]!.GetValue<string>() == sent);
        Assert.Equal("m.room.encrypted", wire["type"]!.GetValue<string>());
        Assert.DoesNotContain("where are you", wire.ToJsonString());

        var recording = RandomNumberGenerator.GetBytes(20_000);
        var reply = await ben.WaitUntilSentAsync(await ben.SendAttachmentAsync(room, recording,
            new JsonObject { ["msgtype"] = "m.audio", ["body"] = "Voice message", ["info"] = new JsonObject { ["mimetype"] = "audio/ogg" } }, ct), ct);
        var atAnna = await anna.WaitForRoomEventAsync(e => e.EventId == reply, ct);
        Assert.Equal("m.audio", atAnna.Content["msgtype"]!.GetValue<string>());
        Assert.False(atAnna.Content.ContainsKey("url"));
        Assert.Equal(recording, await anna.DownloadAttachmentAsync((JsonObject)atAnna.Content["file"]!, ct));
        // The server holds ciphertext only.
        var stored = await anna.Client.DownloadMediaAsync(atAnna.Content["file"]!["url"]!.GetValue<string>(), cancellationToken: ct);
        Assert.NotEqual(recording, stored.Content);
        Assert.Empty(badges.Homeserver.ServerErrors);
    }

    [Fact]
    public async Task A_tampered_attachment_is_refused_before_decryption()
    {
        var ct = Bounded(TimeSpan.FromMinutes(2));
        await using var badges = await Badges.StartAsync(ct);
        var anna = await badges.StartBadgeAsync("anna", ct);
        var ben = await badges.StartBadgeAsync("ben", ct);
        var room = await badges.EncryptedRoomAsync(anna, [ben], ct);
        var sent = await anna.WaitUntilSentAsync(await anna.SendAttachmentAsync(room, new byte[4096],
            new JsonObject { ["msgtype"] = "m.file", ["body"] = "f" }, ct), ct);
        var atBen = await ben.WaitForRoomEventAsync(e => e.EventId == sent, ct);

        var file = (JsonObject)atBen.Content["file"]!.DeepClone();
        var other = await ben.Client.UploadMediaAsync(new byte[4096], cancellationToken: ct);
        file["url"] = other;
        var error = await Assert.ThrowsAsync<Crypto.MatrixCryptoException>(() => ben.DownloadAttachmentAsync(file, ct));
        Assert.Contains("hash", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_crash_just_before_a_sync_is_committed_loses_nothing_and_decrypts_nothing_twice()
    {
        var ct = Bounded(TimeSpan.FromMinutes(2));
        await using var badges = await Badges.StartAsync(ct);
        var anna = await badges.StartBadgeAsync("anna", ct);
        var ben = await badges.StartBadgeAsync("ben", ct);
        var room = await badges.EncryptedRoomAsync(anna, [ben], ct);

        // Ben's device fails at the worst moment each time a batch carries to-device messages (the room key over Olm),
        // twice: the Olm message was decrypted in memory, but nothing was committed.
        var crashes = 0;
        ben.BeforeCommitForTests = sync =>
        {
            if (sync.ToDeviceEvents.Count > 0 && crashes < 2)
            {
                crashes++;
                throw new IOException("power cut (simulated)");
            }
        };
        var received = new List<DeviceRoomEvent>();
        ben.RoomEventReceived += e => { lock (received) { received.Add(e); } };

        var first = await anna.WaitUntilSentAsync(await anna.SendAsync(room, "m.room.message", Text("one"), ct), ct);
        var atBen = await ben.WaitForRoomEventAsync(e => e.EventId == first, ct);
        Assert.Equal(2, crashes);
        Assert.Equal("one", atBen.Content["body"]!.GetValue<string>());

        // The session keeps working afterwards (no ratchet was advanced twice), and every event came exactly once.
        var second = await anna.WaitUntilSentAsync(await anna.SendAsync(room, "m.room.message", Text("two"), ct), ct);
        await ben.WaitForRoomEventAsync(e => e.EventId == second, ct);
        lock (received)
        {
            Assert.Single(received, e => e.EventId == first);
            Assert.Single(received, e => e.EventId == second);
        }
        Assert.Empty(badges.Homeserver.PendingToDevice("@walkie-ben:test.local", "BADGEBEN"));
    }

    /// <summary>Keeps what it is handed, but refuses (as a database that is away) the batches holding one event, a
    /// number of times.</summary>
    private sealed class AwaySink(string eventId, int refusals) : IReceivedEventSink
    {
        public List<DeviceRoomEvent> Kept { get; } = [];
        public int Refused { get; private set; }

        public void Keep(IReadOnlyList<DeviceRoomEvent> events)
        {
            lock (Kept)
            {
                if (Refused < refusals && events.Any(e => e.EventId == eventId))
                {
                    Refused++;
                    throw new IOException("the database is away (simulated)");
                }
                Kept.AddRange(events);
            }
        }
    }

    [Fact]
    public async Task A_sink_that_cannot_store_keeps_the_batch_uncommitted_and_its_room_key_comes_again_with_it()
    {
        var ct = Bounded(TimeSpan.FromMinutes(2));
        await using var badges = await Badges.StartAsync(ct);
        var anna = await badges.StartBadgeAsync("anna", ct);
        var ben = await badges.StartBadgeAsync("ben", ct);
        var cal = await badges.StartBadgeAsync("cal", ct);
        var room = await badges.EncryptedRoomAsync(anna, [ben, cal], ct);

        // Cal talks for the first time while Ben's device is stopped: cal's room key (Olm, to-device) and the message
        // wait on the server, so Ben's first sync answer after the start brings both.
        await badges.StopBadgeAsync("ben");
        var sent = await cal.WaitUntilSentAsync(await cal.SendAsync(room, "m.room.message", Text("come home, dinner is ready"), ct), ct);
        Assert.NotEmpty(badges.Homeserver.PendingToDevice("@walkie-ben:test.local", "BADGEBEN"));

        // Ben's store refuses that answer twice: each time the machine had taken the room key and decrypted the message
        // in memory, and nothing was committed.
        var sink = new AwaySink(sent, refusals: 2);
        ben = await badges.StartBadgeAsync("ben", ct, beforeStart: d => d.ReceivedEventSink = sink);
        var atBen = await ben.WaitForRoomEventAsync(e => e.EventId == sent, ct);
        Assert.Equal("come home, dinner is ready", atBen.Content["body"]!.GetValue<string>());
        lock (sink.Kept)
        {
            Assert.Equal(2, sink.Refused);
            Assert.Equal("come home, dinner is ready", Assert.Single(sink.Kept, e => e.EventId == sent).Content["body"]!.GetValue<string>());
        }

        // Committed once: the next message in cal's session is kept, and the first does not come again.
        var next = await cal.WaitUntilSentAsync(await cal.SendAsync(room, "m.room.message", Text("now"), ct), ct);
        await ben.WaitForRoomEventAsync(e => e.EventId == next, ct);
        lock (sink.Kept)
        {
            Assert.Single(sink.Kept, e => e.EventId == sent);
            Assert.Single(sink.Kept, e => e.EventId == next);
        }
        Assert.Empty(badges.Homeserver.PendingToDevice("@walkie-ben:test.local", "BADGEBEN"));
    }

    [Fact]
    public async Task A_failing_event_subscriber_neither_stops_the_device_nor_makes_a_committed_batch_come_again()
    {
        var ct = Bounded(TimeSpan.FromMinutes(2));
        await using var badges = await Badges.StartAsync(ct);
        var anna = await badges.StartBadgeAsync("anna", ct);
        var ben = await badges.StartBadgeAsync("ben", ct);
        var room = await badges.EncryptedRoomAsync(anna, [ben], ct);
        var seen = new List<string>();
        ben.RoomEventReceived += _ => throw new InvalidOperationException("a bridge bug (simulated)");
        ben.RoomEventReceived += e => { lock (seen) { seen.Add(e.EventId); } };

        var ids = new List<string>();
        foreach (var body in new[] { "one", "two" })
        {
            ids.Add(await anna.WaitUntilSentAsync(await anna.SendAsync(room, "m.room.message", Text(body), ct), ct));
            await ben.WaitForRoomEventAsync(e => e.EventId == ids[^1], ct);
        }
        // A later, unrelated batch proves the loop moved on past them.
        var third = await anna.WaitUntilSentAsync(await anna.SendAsync(room, "m.room.message", Text("three"), ct), ct);
        await ben.WaitForRoomEventAsync(e => e.EventId == third, ct);
        lock (seen)
        {
            Assert.Equal(ids.Append(third), seen.Where(id => ids.Contains(id) || id == third));
        }
    }

    [Fact]
    public async Task When_the_homeserver_goes_away_mid_conversation_every_message_arrives_once_in_order_after_it_returns()
    {
        var ct = Bounded(TimeSpan.FromMinutes(2));
        await using var badges = await Badges.StartAsync(ct);
        var anna = await badges.StartBadgeAsync("anna", ct);
        var ben = await badges.StartBadgeAsync("ben", ct);
        var room = await badges.EncryptedRoomAsync(anna, [ben], ct);
        var received = new List<string>();
        ben.RoomEventReceived += e => { if (e.Type == "m.room.message") { lock (received) { received.Add(e.Content["body"]!.GetValue<string>()); } } };

        await anna.WaitUntilSentAsync(await anna.SendAsync(room, "m.room.message", Text("burst 1"), ct), ct);
        await badges.Homeserver.GoOfflineAsync();
        var queued = new List<OutboxEntry>();
        for (var i = 2; i <= 6; i++)
        {
            queued.Add(await anna.SendAsync(room, "m.room.message", Text($"burst {i}"), ct));
        }

        await WaitUntilAsync(async () => (await anna.Outbox.ListAsync(OutboxState.Pending, ct)).Any(e => e.Attempts > 1), "the outbox retried");
        await badges.Homeserver.GoOnlineAsync(ct);

        foreach (var entry in queued)
        {
            await anna.WaitUntilSentAsync(entry, ct);
        }

        await WaitUntilAsync(() => { lock (received) { return received.Count == 6; } }, "Ben received all six");
        lock (received)
        {
            Assert.Equal(Enumerable.Range(1, 6).Select(i => $"burst {i}"), received);
        }

        Assert.Equal(6, badges.Homeserver.RoomEvents(room).Count(e => e["type"]!.GetValue<string>() == "m.room.encrypted"));
    }

    [Fact]
    public async Task A_badge_restarted_while_messages_came_in_reads_them_from_its_saved_token_and_keys()
    {
        var ct = Bounded(TimeSpan.FromMinutes(2));
        await using var badges = await Badges.StartAsync(ct);
        var anna = await badges.StartBadgeAsync("anna", ct);
        var ben = await badges.StartBadgeAsync("ben", ct);
        var room = await badges.EncryptedRoomAsync(anna, [ben], ct);
        var first = await anna.WaitUntilSentAsync(await anna.SendAsync(room, "m.room.message", Text("before"), ct), ct);
        await ben.WaitForRoomEventAsync(e => e.EventId == first, ct);
        var benKeys = (ben.Ed25519Key, ben.Curve25519Key);

        await badges.StopBadgeAsync("ben");
        var whileAway = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            whileAway.Add(await anna.WaitUntilSentAsync(await anna.SendAsync(room, "m.room.message", Text($"while away {i}"), ct), ct));
        }

        var uploadsBefore = CountRequests(badges.Homeserver, "POST", "/keys/device_signing/upload");
        ben = await badges.StartBadgeAsync("ben", ct);
        Assert.Equal(benKeys, (ben.Ed25519Key, ben.Curve25519Key));
        foreach (var id in whileAway)
        {
            Assert.StartsWith("while away", (await ben.WaitForRoomEventAsync(e => e.EventId == id, ct)).Content["body"]!.GetValue<string>());
        }

        Assert.Equal(uploadsBefore, CountRequests(badges.Homeserver, "POST", "/keys/device_signing/upload"));

        // And Ben can still write to Anna with what he saved.
        var back = await ben.WaitUntilSentAsync(await ben.SendAsync(room, "m.room.message", Text("back"), ct), ct);
        Assert.Equal("back", (await anna.WaitForRoomEventAsync(e => e.EventId == back, ct)).Content["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_key_store_is_owner_only_holds_no_plaintext_and_a_wrong_key_is_a_clear_error()
    {
        var ct = Bounded(TimeSpan.FromMinutes(2));
        await using var badges = await Badges.StartAsync(ct);
        var anna = await badges.StartBadgeAsync("anna", ct);
        var ben = await badges.StartBadgeAsync("ben", ct);
        var room = await badges.EncryptedRoomAsync(anna, [ben], ct);
        var sent = await anna.WaitUntilSentAsync(await anna.SendAsync(room, "m.room.message", Text("secret plans"), ct), ct);
        await ben.WaitForRoomEventAsync(e => e.EventId == sent, ct);
        await badges.StopBadgeAsync("anna");
        await badges.StopBadgeAsync("ben");

        var store = Path.Combine(badges.Folder, "anna-keys.db");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store));
        }

        foreach (var file in Directory.GetFiles(badges.Folder))
        {
            Assert.DoesNotContain("secret plans", System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file, ct)));
        }

        await File.WriteAllTextAsync(Path.Combine(badges.Folder, "anna.key"), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), ct);
        var error = await Assert.ThrowsAsync<Crypto.MatrixCryptoException>(() => badges.StartBadgeAsync("anna", ct));
        Assert.Equal(Crypto.CryptoError.CorruptState, error.Error);
    }
}
