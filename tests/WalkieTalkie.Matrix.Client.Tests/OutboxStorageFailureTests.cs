using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Tests.Support;
using WalkieTalkie.Matrix.Sending;
using static WalkieTalkie.Matrix.Client.Tests.Support.Harness;

namespace WalkieTalkie.Matrix.Client.Tests;

/// <summary>
/// Storage that goes away is not the homeserver's refusal: the outbox keeps the entry and sends it (once) when the
/// storage is back, and an entry the homeserver took stays sent whatever its listeners' storage does.
/// </summary>
public sealed class OutboxStorageFailureTests() : OutboxFolder("wt-outbox-storage-")
{
    [Fact]
    public async Task A_listener_whose_database_is_away_when_told_sent_leaves_the_entry_sent_once_and_the_queue_goes_on()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, anna) = NewClient(hs, "walkie-anna");
        using var _a = anna;
        var room = await anna.CreateRoomAsync(new JsonObject(), ct);
        await using var outbox = new Outbox(anna, Options(anna));
        var storageAway = true;
        var recorded = new List<string>();
        var failed = new List<OutboxEntry>();
        // As the gateway's map of sent entries on a database that went away (disposed, cut off).
        outbox.EntrySent += e =>
        {
            if (Volatile.Read(ref storageAway))
            {
                throw new ObjectDisposedException("NpgsqlDataSource");
            }

            lock (recorded) { recorded.Add(e.TransactionId); }
        };
        outbox.EntryFailed += e => { lock (failed) { failed.Add(e); } };
        outbox.Start();

        var first = await outbox.EnqueueAsync(room, "m.room.message", Text("first"), cancellationToken: ct);
        await WaitUntilAsync(async () => (await outbox.ListAsync(OutboxState.Sent, ct)).Any(e => e.Id == first.Id)
                                         || (await outbox.ListAsync(OutboxState.Failed, ct)).Any(e => e.Id == first.Id),
            "the first entry was settled");
        Volatile.Write(ref storageAway, false);
        var second = await outbox.EnqueueAsync(room, "m.room.message", Text("second"), cancellationToken: ct);
        await WaitUntilAsync(() => { lock (recorded) { return recorded.Contains(second.TransactionId); } }, "the second entry's report was taken");

        Assert.Empty(await outbox.ListAsync(OutboxState.Failed, ct));
        Assert.Empty(failed);
        var sent = await outbox.ListAsync(OutboxState.Sent, ct);
        Assert.Equal([first.Id, second.Id], sent.Select(e => e.Id));
        Assert.All(sent, e => Assert.NotNull(e.EventId));
        Assert.Equal(["first", "second"], MessageBodies(hs, room));
        await AssertRequestCountAsync(hs, 1, "PUT", "/send/m.room.message/" + first.TransactionId);
    }

    [Fact]
    public async Task A_storage_error_while_an_entry_is_prepared_keeps_it_and_it_goes_once_when_the_storage_is_back()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, anna) = NewClient(hs, "walkie-anna");
        using var _a = anna;
        var room = await anna.CreateRoomAsync(new JsonObject(), ct);
        var storageAway = true;
        var attempts = 0;
        // As a preparer whose key store's database went away for a while.
        ValueTask<PreparedEvent> Prepare(OutboxEntry entry, JsonObject content, CancellationToken _)
        {
            Interlocked.Increment(ref attempts);
            return Volatile.Read(ref storageAway)
                ? throw new ObjectDisposedException("the key store")
                : ValueTask.FromResult(new PreparedEvent(entry.EventType, content));
        }

        await using var outbox = new Outbox(anna, Options(anna), Prepare);
        var failed = new List<OutboxEntry>();
        outbox.EntryFailed += e => { lock (failed) { failed.Add(e); } };
        outbox.Start();

        var entry = await outbox.EnqueueAsync(room, "m.room.message", Text("kept"), cancellationToken: ct);
        await WaitUntilAsync(() => { lock (failed) { return Volatile.Read(ref attempts) >= 3 || failed.Count > 0; } }, "the entry was tried three times");
        lock (failed)
        {
            Assert.Empty(failed);
        }

        var waiting = Assert.Single(await outbox.ListAsync(OutboxState.Pending, ct));
        Assert.Equal(entry.Id, waiting.Id);
        Assert.Empty(MessageBodies(hs, room));

        Volatile.Write(ref storageAway, false);
        await WaitUntilAsync(async () => (await outbox.ListAsync(OutboxState.Sent, ct)).Count == 1, "the entry was sent once the storage was back");

        Assert.Equal(["kept"], MessageBodies(hs, room));
        await AssertRequestCountAsync(hs, 1, "PUT", "/send/m.room.message/" + entry.TransactionId);
        Assert.Empty(await outbox.ListAsync(OutboxState.Failed, ct));
    }
}
