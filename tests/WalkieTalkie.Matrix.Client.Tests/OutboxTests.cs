using System.Security.Cryptography;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Tests.Support;
using WalkieTalkie.Matrix.Sending;
using WalkieTalkie.TestHomeserver;
using static WalkieTalkie.Matrix.Client.Tests.Support.Harness;

namespace WalkieTalkie.Matrix.Client.Tests;

/// <summary>The persistent outbox against the test homeserver: outages, lost answers, restarts, permanent refusals.</summary>
public sealed class OutboxTests() : OutboxFolder("wt-outbox-")
{
    [Fact]
    public async Task Through_an_outage_and_lost_answers_every_event_arrives_once_in_order()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var lossy = new LossyHandler { LoseAnswersTo = r => r.RequestUri!.AbsolutePath.Contains("/send/") };
        var (_, anna) = NewClient(hs, "walkie-anna", lossy);
        using var _a = anna;
        var room = await anna.CreateRoomAsync(new JsonObject(), ct);
        await using var outbox = new Outbox(anna, Options(anna));
        var sent = new List<OutboxEntry>();
        outbox.EntrySent += e => { lock (sent) { sent.Add(e); } };
        outbox.Start();

        var expected = Enumerable.Range(1, 12).Select(i => $"burst {i}").ToList();
        foreach (var body in expected.Take(4))
        {
            await outbox.EnqueueAsync(room, "m.room.message", Text(body), cancellationToken: ct);
        }

        await WaitUntilAsync(() => MessageBodies(hs, room).Count == 4, "the first four were sent");

        await hs.GoOfflineAsync();
        foreach (var body in expected.Skip(4).Take(4))
        {
            await outbox.EnqueueAsync(room, "m.room.message", Text(body), cancellationToken: ct);
        }

        // The status is read in the same poll: between two tries the outbox is briefly Sending again.
        await WaitUntilAsync(async () => (await outbox.ListAsync(OutboxState.Pending, ct)).Any(e => e.Attempts >= 3)
                                         && outbox.Status == OutboxStatus.WaitingToRetry,
            "the outbox retried against the dead server and says it waits to retry");

        // Back, but the answers to the next three sends get lost: the server stored them, the outbox cannot know.
        lossy.LoseNext(3);
        await hs.GoOnlineAsync(ct);
        foreach (var body in expected.Skip(8))
        {
            await outbox.EnqueueAsync(room, "m.room.message", Text(body), cancellationToken: ct);
        }

        await WaitUntilAsync(async () => (await outbox.ListAsync(OutboxState.Sent, ct)).Count == 12, "all twelve were sent");

        Assert.Equal(expected, MessageBodies(hs, room));
        Assert.Equal(3, lossy.AnswersLost);
        var entries = await outbox.ListAsync(cancellationToken: ct);
        Assert.Equal(hs.RoomEvents(room).Where(e => e["type"]!.GetValue<string>() == "m.room.message").Select(e => e["event_id"]!.GetValue<string>()),
            entries.Select(e => e.EventId));
        Assert.Equal(12, entries.Select(e => e.TransactionId).Distinct().Count());
        Assert.Equal(expected, sent.Select(e => e.Content["body"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Entries_written_before_a_restart_are_sent_after_it_in_order_with_their_media()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var (user, anna) = NewClient(hs, "walkie-anna", deviceId: "BADGEANNA");
        using var _a = anna;
        var room = await anna.CreateRoomAsync(new JsonObject(), ct);
        var recording = RandomNumberGenerator.GetBytes(30_000);

        // First run: the server is down the whole time; the process stops with everything still pending.
        await hs.GoOfflineAsync();
        await using (var first = new Outbox(anna, Options(anna)))
        {
            first.Start();
            await first.EnqueueAsync(room, "m.room.message", Text("before the restart 1"), cancellationToken: ct);
            await first.EnqueueAsync(room, "m.room.message", new JsonObject { ["msgtype"] = "m.audio", ["body"] = "Voice message" },
                new OutboxMedia(recording, "audio/ogg", null, "url"), ct);
            await first.EnqueueAsync(room, "m.room.message", Text("before the restart 3"), cancellationToken: ct);
            await WaitUntilAsync(async () => (await first.ListAsync(OutboxState.Pending, ct)).Any(e => e.Attempts > 0), "a send was tried");
        }
        Assert.Empty(MessageBodies(hs, room));

        // Second run: a new process (new client, new outbox object) on the same file, the server back.
        await hs.GoOnlineAsync(ct);
        using var restarted = ClientFor(hs);
        restarted.UseSession(anna.Session!);
        await using var second = new Outbox(restarted, Options(restarted));
        Assert.Equal(3, (await second.ListAsync(OutboxState.Pending, ct)).Count);
        second.Start();
        await second.EnqueueAsync(room, "m.room.message", Text("after the restart"), cancellationToken: ct);
        await WaitUntilAsync(async () => (await second.ListAsync(OutboxState.Sent, ct)).Count == 4, "all four were sent");

        Assert.Equal(["before the restart 1", "Voice message", "before the restart 3", "after the restart"], MessageBodies(hs, room));
        var audio = hs.RoomEvents(room).Single(e => e["content"]!["msgtype"]?.GetValue<string>() == "m.audio");
        var url = audio["content"]!["url"]!.GetValue<string>();
        Assert.Equal(recording, (await restarted.DownloadMediaAsync(url, cancellationToken: ct)).Content);
        Assert.Equal(user.UserId, audio["sender"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_refused_entry_is_kept_as_failed_and_the_queue_moves_on()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, anna) = NewClient(hs, "walkie-anna");
        var (_, ben) = NewClient(hs, "ben");
        using var _a = anna;
        using var _b = ben;
        var room = await anna.CreateRoomAsync(new JsonObject(), ct);
        var notMine = await ben.CreateRoomAsync(new JsonObject(), ct);
        await using var outbox = new Outbox(anna, Options(anna));
        var failed = new List<OutboxEntry>();
        outbox.EntryFailed += e => { lock (failed) { failed.Add(e); } };
        outbox.Start();

        await outbox.EnqueueAsync(room, "m.room.message", Text("first"), cancellationToken: ct);
        var refused = await outbox.EnqueueAsync(notMine, "m.room.message", Text("to a room I am not in"), cancellationToken: ct);
        await outbox.EnqueueAsync(room, "m.room.message", Text("third"), cancellationToken: ct);
        await WaitUntilAsync(async () => (await outbox.ListAsync(OutboxState.Sent, ct)).Count == 2, "the two good ones were sent");

        Assert.Equal(["first", "third"], MessageBodies(hs, room));
        var kept = Assert.Single(await outbox.ListAsync(OutboxState.Failed, ct));
        Assert.Equal(refused.Id, kept.Id);
        Assert.Contains("M_FORBIDDEN", kept.Error ?? "", StringComparison.Ordinal);
        Assert.Equal(refused.Id, Assert.Single(failed).Id);

        // An operator who fixed the cause (Ben invites Anna, she joins) puts it back: it goes with its old id.
        await ben.InviteAsync(notMine, anna.UserId, ct);
        await anna.JoinRoomAsync(notMine, cancellationToken: ct);
        Assert.True(await outbox.RequeueAsync(refused.Id, ct));
        await WaitUntilAsync(async () => (await outbox.ListAsync(OutboxState.Sent, ct)).Count == 3, "the requeued entry was sent");
        Assert.Equal(["to a room I am not in"], MessageBodies(hs, notMine));
        await AssertRequestCountAsync(hs, 2, "PUT", "/send/m.room.message/" + refused.TransactionId);
    }

    [Fact]
    public async Task A_rejected_token_parks_the_outbox_until_a_new_session_and_nothing_is_lost()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var (user, anna) = NewClient(hs, "walkie-anna");
        using var _a = anna;
        var room = await anna.CreateRoomAsync(new JsonObject(), ct);
        await using var outbox = new Outbox(anna, Options(anna));
        outbox.Start();

        using (var elsewhere = ClientFor(hs))
        {
            elsewhere.UseSession(anna.Session!);
            await elsewhere.LogoutAsync(ct);
        }
        await outbox.EnqueueAsync(room, "m.room.message", Text("held"), cancellationToken: ct);
        await WaitUntilAsync(() => outbox.Status == OutboxStatus.NeedsLogin, "the outbox parked");
        Assert.Single(await outbox.ListAsync(OutboxState.Pending, ct));

        var fresh = hs.CreateSession(user.UserId);
        anna.UseSession(new Sessions.MatrixSession(hs.BaseUrl, fresh.UserId, fresh.DeviceId, fresh.AccessToken));
        await WaitUntilAsync(() => MessageBodies(hs, room).Count == 1, "the held entry was sent with the new session");
        Assert.Equal(["held"], MessageBodies(hs, room));
    }

    [Fact]
    public async Task The_outbox_file_is_owner_only_and_a_sent_entry_leaves_no_content_in_it()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, anna) = NewClient(hs, "walkie-anna");
        using var _a = anna;
        var room = await anna.CreateRoomAsync(new JsonObject(), ct);
        const string secret = "attachment-key-8f3a1c77d2e94b06";

        await using (var outbox = new Outbox(anna, Options(anna)))
        {
            outbox.Start();
            var entry = await outbox.EnqueueAsync(room, "m.room.message",
                new JsonObject { ["msgtype"] = "m.file", ["body"] = "f", ["file"] = new JsonObject { ["k"] = secret } }, cancellationToken: ct);
            await WaitUntilAsync(async () => (await outbox.ListAsync(OutboxState.Sent, ct)).Count == 1, "the entry was sent");
            var kept = Assert.Single(await outbox.ListAsync(OutboxState.Sent, ct));
            Assert.Equal(entry.TransactionId, kept.TransactionId);
            Assert.NotNull(kept.EventId);
            Assert.Empty(kept.Content);
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Database));
        }

        foreach (var file in Directory.GetFiles(Folder))
        {
            Assert.DoesNotContain(secret, System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file, ct)));
        }
    }
}
