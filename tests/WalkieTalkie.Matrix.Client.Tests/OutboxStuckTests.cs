using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Tests.Support;
using WalkieTalkie.Matrix.Sending;
using static WalkieTalkie.Matrix.Client.Tests.Support.Harness;

namespace WalkieTalkie.Matrix.Client.Tests;

/// <summary>
/// An entry that can never be sent does not hold its account's queue for ever: after the limit, once the entry behind
/// it goes, it is kept as stuck, reported once, listed for a person, and sent when that person retries it; the
/// homeserver being away, or failing every entry alike, never makes an entry stuck; the count survives a restart.
/// </summary>
public sealed class OutboxStuckTests() : OutboxFolder("wt-outbox-stuck-")
{
    // The limit without its ten minutes: three failed attempts make an entry stuck.
    private new OutboxOptions Options(MatrixClient client) =>
        base.Options(client) with { StuckAfter = TimeSpan.Zero, StuckAfterAttempts = 3, IdleRecheck = TimeSpan.FromMilliseconds(200) };

    // A homeserver, anna on it (her requests failing as Failing says: none at first) and a room of hers.
    private sealed record Account(TestHomeserver.TestHomeserver Hs, FailingHandler Failing, MatrixClient Anna, string Room) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Anna.Dispose();
            await Hs.DisposeAsync();
        }
    }

    private static async Task<Account> AnnaAsync(CancellationToken ct)
    {
        var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var failing = new FailingHandler();
        var (_, anna) = NewClient(hs, "walkie-anna", failing);
        return new Account(hs, failing, anna, await anna.CreateRoomAsync(new JsonObject(), ct));
    }

    // Anna's outbox, started, with what it reports as failed gathered in reports.
    private Outbox Started(MatrixClient anna, List<OutboxEntry> reports)
    {
        var outbox = new Outbox(anna, Options(anna));
        outbox.EntryFailed += e => { lock (reports) { reports.Add(e); } };
        outbox.Start();
        return outbox;
    }

    [Fact]
    public async Task An_entry_the_homeserver_fails_every_time_is_kept_as_stuck_the_queue_goes_on_and_a_retry_sends_it()
    {
        var ct = Bounded();
        await using var account = await AnnaAsync(ct);
        var (hs, failing, anna, room) = account;
        var reports = new List<OutboxEntry>();
        await using var outbox = Started(anna, reports);

        // Failing before it is queued: set after, the outbox could send it first (it did once, in a full run).
        var firstTransaction = MatrixClient.NewTransactionId();
        failing.Fails = r => r.Method == HttpMethod.Put && r.RequestUri!.AbsolutePath.EndsWith("/" + firstTransaction, StringComparison.Ordinal);
        var first = await outbox.EnqueueAsync(room, "m.room.message", Text("first"), firstTransaction, cancellationToken: ct);
        var second = await outbox.EnqueueAsync(room, "m.room.message", Text("second"), cancellationToken: ct);

        await WaitUntilAsync(async () => (await outbox.ListAsync(OutboxState.Sent, ct)).Any(e => e.Id == second.Id),
            "the second entry was sent past the first");
        // The first is set aside once the second went (just after, not before, since the second's send tells it).
        await WaitUntilAsync(async () => (await outbox.ListAsync(OutboxState.Stuck, ct)).Count > 0, "the first entry is stuck");
        var stuck = Assert.Single(await outbox.ListAsync(OutboxState.Stuck, ct));
        Assert.Equal(first.Id, stuck.Id);
        Assert.True(stuck.Attempts >= 3, $"{stuck.Attempts} attempts");
        Assert.Contains("M_UNKNOWN", stuck.Error, StringComparison.Ordinal);
        Assert.Equal("first", stuck.Content["body"]!.GetValue<string>()); // kept whole
        await WaitUntilAsync(() => { lock (reports) { return reports.Count > 0; } }, "the stuck entry was reported");
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
            "the retried entry was sent (the put-back woke the outbox)");
        Assert.Equal(["second", "first"], MessageBodies(hs, room));
        Assert.Empty(await outbox.ListAsync(OutboxState.Stuck, ct));
    }

    [Fact]
    public async Task An_entry_whose_encryption_fails_every_time_is_set_aside_and_sent_once_retried()
    {
        var ct = Bounded();
        await using var account = await AnnaAsync(ct);
        var (hs, _, anna, room) = account;
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
        await WaitUntilAsync(async () => (await outbox.ListAsync(OutboxState.Stuck, ct)).Count > 0, "the cursed entry is stuck");
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
        await using var account = await AnnaAsync(ct);
        var (hs, _, anna, room) = account;
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

    [Fact]
    public async Task The_homeserver_failing_every_entry_with_500_marks_none_stuck_and_they_go_in_order_once_it_recovers()
    {
        var ct = Bounded();
        await using var account = await AnnaAsync(ct);
        var (hs, failing, anna, room) = account;
        var reports = new List<OutboxEntry>();
        await using var outbox = Started(anna, reports);

        // A 500 counts towards stuck (one event can trip it), unlike a 502 or no answer: here every send gets one.
        failing.Fails = r => r.Method == HttpMethod.Put && r.RequestUri!.AbsolutePath.Contains("/send/", StringComparison.Ordinal);
        await outbox.EnqueueAsync(room, "m.room.message", Text("one"), cancellationToken: ct);
        var two = await outbox.EnqueueAsync(room, "m.room.message", Text("two"), cancellationToken: ct);
        await outbox.EnqueueAsync(room, "m.room.message", Text("three"), cancellationToken: ct);

        // The second entry is tried only as the entry behind a first at its limit (3 attempts): three of those tries.
        await WaitUntilAsync(async () => (await outbox.ListAsync(cancellationToken: ct)).Any(e => e.Id == two.Id && e.Attempts >= 3),
            "the entry behind the first was tried three times");
        Assert.Empty(await outbox.ListAsync(OutboxState.Stuck, ct));
        Assert.Equal(3, (await outbox.ListAsync(OutboxState.Pending, ct)).Count);
        Assert.Empty(MessageBodies(hs, room));

        failing.Fails = _ => false;
        await WaitUntilAsync(async () => (await outbox.ListAsync(OutboxState.Sent, ct)).Count == 3, "all three were sent once it recovered");
        Assert.Equal(["one", "two", "three"], MessageBodies(hs, room));
        Assert.Empty(await outbox.ListAsync(OutboxState.Stuck, ct));
        lock (reports)
        {
            Assert.Empty(reports);
        }
    }

    [Fact]
    public async Task An_entry_alone_in_its_queue_whose_encryption_fails_every_time_is_stuck_while_the_homeserver_answers()
    {
        var ct = Bounded();
        await using var account = await AnnaAsync(ct);
        var (hs, _, anna, room) = account;
        static ValueTask<PreparedEvent> Prepare(OutboxEntry entry, JsonObject content, CancellationToken _) =>
            throw new InvalidOperationException("no Megolm session could be made (simulated)");

        await using var outbox = new Outbox(anna, Options(anna), Prepare);
        outbox.Start();
        var alone = await outbox.EnqueueAsync(room, "m.room.message", Text("cursed"), cancellationToken: ct);
        await WaitUntilAsync(async () => (await outbox.ListAsync(OutboxState.Stuck, ct)).Any(e => e.Id == alone.Id), "the entry is stuck");
        await AssertRequestCountAsync(hs, 1, "GET", "/account/whoami");
    }

    [Fact]
    public async Task An_entry_alone_in_its_queue_is_not_stuck_while_the_homeserver_answers_500_to_everything()
    {
        var ct = Bounded();
        await using var account = await AnnaAsync(ct);
        var (hs, failing, anna, room) = account;
        await using var outbox = new Outbox(anna, Options(anna));
        outbox.Start();

        failing.Fails = _ => true; // its send and the outbox's question whether the homeserver answers at all
        var alone = await outbox.EnqueueAsync(room, "m.room.message", Text("alone"), cancellationToken: ct);
        await WaitUntilAsync(async () => (await outbox.ListAsync(cancellationToken: ct)).Single() is { } e && (e.Attempts >= 6 || e.State != OutboxState.Pending),
            "the entry failed twice the stuck limit's attempts");
        Assert.Equal(OutboxState.Pending, (await outbox.ListAsync(cancellationToken: ct)).Single().State);
        await WaitUntilAsync(() => outbox.Status == OutboxStatus.EveryEntryFailing, "the outbox tells the homeserver is failing");

        failing.Fails = _ => false;
        await WaitUntilAsync(async () => (await outbox.ListAsync(OutboxState.Sent, ct)).Any(e => e.Id == alone.Id), "it was sent once it recovered");
        Assert.Equal(["alone"], MessageBodies(hs, room));
    }

    [Fact]
    public async Task The_count_towards_stuck_is_kept_in_the_file_and_goes_on_after_a_restart()
    {
        var ct = Bounded();
        await using var account = await AnnaAsync(ct);
        var (hs, failing, anna, room) = account;
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var options = Options(anna) with { StuckAfter = TimeSpan.FromHours(1), Time = clock };
        var firstTransaction = MatrixClient.NewTransactionId();
        var triesOfFirst = 0;
        failing.Fails = r =>
        {
            var fails = r.Method == HttpMethod.Put && r.RequestUri!.AbsolutePath.EndsWith("/" + firstTransaction, StringComparison.Ordinal);
            if (fails)
            {
                Interlocked.Increment(ref triesOfFirst);
            }

            return fails;
        };

        OutboxEntry first;
        await using (var before = new Outbox(anna, options))
        {
            before.Start();
            first = await before.EnqueueAsync(room, "m.room.message", Text("first"), firstTransaction, cancellationToken: ct);
            await WaitUntilAsync(async () => (await before.ListAsync(OutboxState.Pending, ct)).Single().Attempts >= 3,
                "the first entry failed three times");
            // Not for an hour yet by the test's clock, which stands still: not set aside, whatever its count.
            Assert.Empty(await before.ListAsync(OutboxState.Stuck, ct));
        }

        Interlocked.Exchange(ref triesOfFirst, 0);
        clock.Advance(TimeSpan.FromHours(2)); // the restart comes long after the first failure

        await using var after = new Outbox(anna, options);
        await after.EnqueueAsync(room, "m.room.message", Text("second"), cancellationToken: ct); // behind it before the first try
        after.Start();
        await WaitUntilAsync(() => MessageBodies(hs, room).Contains("second"), "the entry behind was sent");
        await WaitUntilAsync(async () => (await after.ListAsync(OutboxState.Stuck, ct)).Any(e => e.Id == first.Id), "the first is stuck");
        // One more failure after the restart was enough: the three before it and the hour since the first were in the file.
        Assert.Equal(1, Volatile.Read(ref triesOfFirst));
    }
}
