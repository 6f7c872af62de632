using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Tests.Support;
using WalkieTalkie.Matrix.Sending;
using static WalkieTalkie.Matrix.Client.Tests.Support.Harness;

namespace WalkieTalkie.Matrix.Client.Tests;

/// <summary>
/// An entry that can never be sent does not hold its account's queue for ever: after the limit it is kept as stuck,
/// reported once, listed for a person, and sent when that person retries it; the homeserver being away never makes
/// an entry stuck.
/// </summary>
public sealed class OutboxStuckTests() : OutboxFolder("wt-outbox-stuck-")
{
    // The limit without its ten minutes: three failed attempts make an entry stuck.
    private new OutboxOptions Options(MatrixClient client) =>
        base.Options(client) with { StuckAfter = TimeSpan.Zero, StuckAfterAttempts = 3, IdleRecheck = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task An_entry_the_homeserver_fails_every_time_is_kept_as_stuck_the_queue_goes_on_and_a_retry_sends_it()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var failing = new FailingHandler();
        var (_, anna) = NewClient(hs, "walkie-anna", failing);
        using var _a = anna;
        var room = await anna.CreateRoomAsync(new JsonObject(), ct);
        await using var outbox = new Outbox(anna, Options(anna));
        var reports = new List<OutboxEntry>();
        outbox.EntryFailed += e => { lock (reports) { reports.Add(e); } };
        outbox.Start();

        // Failing before it is queued: set after, the outbox could send it first (it did once, in a full run).
        var firstTransaction = MatrixClient.NewTransactionId();
        failing.Fails = r => r.Method == HttpMethod.Put && r.RequestUri!.AbsolutePath.EndsWith("/" + firstTransaction, StringComparison.Ordinal);
        var first = await outbox.EnqueueAsync(room, "m.room.message", Text("first"), firstTransaction, cancellationToken: ct);
        var second = await outbox.EnqueueAsync(room, "m.room.message", Text("second"), cancellationToken: ct);

        await WaitUntilAsync(async () => (await outbox.ListAsync(OutboxState.Sent, ct)).Any(e => e.Id == second.Id),
            "the second entry was sent past the first");
        var stuck = Assert.Single(await outbox.ListAsync(OutboxState.Stuck, ct));
        Assert.Equal(first.Id, stuck.Id);
        Assert.True(stuck.Attempts >= 3, $"{stuck.Attempts} attempts");
        Assert.Contains("M_UNKNOWN", stuck.Error, StringComparison.Ordinal);
        Assert.Equal("first", stuck.Content["body"]!.GetValue<string>()); // kept whole
        lock (reports)
        {
            var report = Assert.Single(reports);
            Assert.Equal((first.Id, OutboxState.Stuck), (report.Id, report.State));
        }

        Assert.Equal(["second"], MessageBodies(hs, room));

        // A person looks at the file from another process (walkie badge outbox), and retries it once the homeserver is well.
        using (var file = OutboxFile.OpenExisting(Database)!)
        {
            var waiting = Assert.Single(await file.WaitingForAPersonAsync(ct));
            Assert.Equal((anna.UserId + "|" + anna.DeviceId, first.Id, OutboxState.Stuck), (waiting.Owner, waiting.Entry.Id, waiting.Entry.State));
            failing.Fails = _ => false;
            Assert.True(await file.RequeueAsync(first.Id, ct));
            Assert.False(await file.RequeueAsync(second.Id, ct)); // a sent entry is not sent again
        }

        await WaitUntilAsync(async () => (await outbox.ListAsync(OutboxState.Sent, ct)).Any(e => e.Id == first.Id),
            "the retried entry was sent (woken by nobody: the idle recheck found it)");
        Assert.Equal(["second", "first"], MessageBodies(hs, room));
        Assert.Empty(await outbox.ListAsync(OutboxState.Stuck, ct));
    }

    [Fact]
    public async Task An_entry_whose_encryption_fails_every_time_is_set_aside_and_sent_once_retried()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, anna) = NewClient(hs, "walkie-anna");
        using var _a = anna;
        var room = await anna.CreateRoomAsync(new JsonObject(), ct);
        var broken = true;
        ValueTask<PreparedEvent> Prepare(OutboxEntry entry, JsonObject content, CancellationToken _) =>
            Volatile.Read(ref broken) && content["body"]?.GetValue<string>() == "cursed"
                ? throw new InvalidOperationException("no Megolm session could be made (simulated)")
                : ValueTask.FromResult(new PreparedEvent(entry.EventType, content));

        await using var outbox = new Outbox(anna, Options(anna), Prepare);
        outbox.Start();
        var cursed = await outbox.EnqueueAsync(room, "m.room.message", Text("cursed"), cancellationToken: ct);
        await outbox.EnqueueAsync(room, "m.room.message", Text("after"), cancellationToken: ct);

        await WaitUntilAsync(() => MessageBodies(hs, room).Contains("after"), "the later entry was sent");
        Assert.Equal(cursed.Id, Assert.Single(await outbox.ListAsync(OutboxState.Stuck, ct)).Id);

        Volatile.Write(ref broken, false);
        Assert.True(await outbox.RequeueAsync(cursed.Id, ct));
        await WaitUntilAsync(() => MessageBodies(hs, room).Contains("cursed"), "the retried entry was sent");
        Assert.Equal(["after", "cursed"], MessageBodies(hs, room));
        await AssertRequestCountAsync(hs, 1, "PUT", "/send/m.room.message/" + cursed.TransactionId);
    }

    [Fact]
    public async Task The_homeserver_away_never_makes_an_entry_stuck_and_order_holds()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, anna) = NewClient(hs, "walkie-anna");
        using var _a = anna;
        var room = await anna.CreateRoomAsync(new JsonObject(), ct);
        await using var outbox = new Outbox(anna, Options(anna));
        outbox.Start();

        await hs.GoOfflineAsync();
        await outbox.EnqueueAsync(room, "m.room.message", Text("one"), cancellationToken: ct);
        await outbox.EnqueueAsync(room, "m.room.message", Text("two"), cancellationToken: ct);
        await WaitUntilAsync(async () => (await outbox.ListAsync(OutboxState.Pending, ct)).Any(e => e.Attempts >= 6),
            "the first entry failed twice the stuck limit's attempts against the dead server");
        Assert.Empty(await outbox.ListAsync(OutboxState.Stuck, ct));

        await hs.GoOnlineAsync(ct);
        await WaitUntilAsync(async () => (await outbox.ListAsync(OutboxState.Sent, ct)).Count == 2, "both were sent");
        Assert.Equal(["one", "two"], MessageBodies(hs, room));
    }
}
