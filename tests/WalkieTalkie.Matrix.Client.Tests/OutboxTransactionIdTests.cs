using System.Diagnostics;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Tests.Support;
using WalkieTalkie.Matrix.Sending;
using static WalkieTalkie.Matrix.Client.Tests.Support.Harness;

namespace WalkieTalkie.Matrix.Client.Tests;

/// <summary>
/// The caller's transaction id (the bridge's): enqueueing the same id again is a no-op that returns the first entry,
/// before it is sent, after it is sent, and after the enqueueing process was killed (SIGKILL) before it could record
/// anything of its own. Each case ends with one event on the test homeserver and one PUT for the id.
/// </summary>
public sealed class OutboxTransactionIdTests() : OutboxFolder("wt-outbox-txn-")
{
    [Fact]
    public async Task The_same_transaction_id_twice_is_one_entry_and_one_send()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, anna) = NewClient(hs, "walkie-anna");
        using var _a = anna;
        var room = await anna.CreateRoomAsync(new JsonObject(), ct);
        await using var outbox = new Outbox(anna, Options(anna));
        const string txn = "wt-burst-0123456789abcdef01234567";

        var first = await outbox.EnqueueAsync(room, "m.room.message", Text("burst 1"), txn, cancellationToken: ct);
        var again = await outbox.EnqueueAsync(room, "m.room.message", Text("burst 1, delivered again"), txn, cancellationToken: ct);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(txn, again.TransactionId);
        Assert.Equal("burst 1", again.Content["body"]!.GetValue<string>()); // the first content stands
        Assert.Single(await outbox.ListAsync(cancellationToken: ct));

        outbox.Start();
        await WaitUntilAsync(async () => (await outbox.ListAsync(OutboxState.Sent, ct)).Count == 1, "the entry was sent");
        var afterSend = await outbox.EnqueueAsync(room, "m.room.message", Text("burst 1, a third time"), txn, cancellationToken: ct);
        Assert.Equal(first.Id, afterSend.Id);
        Assert.Equal(OutboxState.Sent, afterSend.State);
        Assert.NotNull(afterSend.EventId);
        await Task.Delay(300, ct); // the sender had time to send anything new

        Assert.Single(await outbox.ListAsync(cancellationToken: ct));
        Assert.Equal(["burst 1"], MessageBodies(hs, room));
        await AssertRequestCountAsync(hs, 1, "PUT", "/send/m.room.message/" + txn);
        Assert.Empty(hs.ServerErrors);
    }

    [Fact]
    public async Task A_transaction_id_reused_for_another_room_or_type_or_a_bad_id_is_refused_and_nothing_is_written()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, anna) = NewClient(hs, "walkie-anna");
        using var _a = anna;
        var room = await anna.CreateRoomAsync(new JsonObject(), ct);
        var other = await anna.CreateRoomAsync(new JsonObject(), ct);
        await using var outbox = new Outbox(anna, Options(anna));
        await outbox.EnqueueAsync(room, "m.room.message", Text("one"), "wt-1", cancellationToken: ct);

        var otherRoom = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            outbox.EnqueueAsync(other, "m.room.message", Text("one"), "wt-1", cancellationToken: ct));
        Assert.Contains("wt-1", otherRoom.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            outbox.EnqueueAsync(room, "m.reaction", new JsonObject(), "wt-1", cancellationToken: ct));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            outbox.EnqueueAsync(room, "m.room.message", Text("x"), "a/b", cancellationToken: ct));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            outbox.EnqueueAsync(room, "m.room.message", Text("x"), "", cancellationToken: ct));

        // Another account in the same file: transaction ids are unique across the file, and it says so.
        var (_, ben) = NewClient(hs, "ben");
        using var _b = ben;
        await using var bens = new Outbox(ben, Options(ben));
        var taken = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            bens.EnqueueAsync(room, "m.room.message", Text("one"), "wt-1", cancellationToken: ct));
        Assert.Contains("another account", taken.Message, StringComparison.Ordinal);

        Assert.Single(await outbox.ListAsync(cancellationToken: ct));
        Assert.Empty(await bens.ListAsync(cancellationToken: ct));
    }

    /// <summary>
    /// The bridge's crash window: a process enqueues under its transaction id and is SIGKILLed before it records the
    /// entry anywhere else. The restarted process does not know it enqueued, so it enqueues again: one entry, one send.
    /// </summary>
    [Fact]
    public async Task A_process_killed_right_after_enqueueing_enqueues_again_on_restart_and_the_event_is_sent_once()
    {
        var ct = Bounded(TimeSpan.FromSeconds(120));
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, anna) = NewClient(hs, "walkie-anna");
        using var _a = anna;
        var room = await anna.CreateRoomAsync(new JsonObject(), ct);
        const string txn = "wt-burst-killed0123456789abcdef";

        var childEntry = EnqueueInChildThenKill(Options(anna).Owner, room, txn);

        await using var restarted = new Outbox(anna, Options(anna));
        var pending = Assert.Single(await restarted.ListAsync(OutboxState.Pending, ct));
        Assert.Equal(childEntry, pending.Id);
        Assert.Equal(txn, pending.TransactionId);
        var again = await restarted.EnqueueAsync(room, "m.room.message", Text("enqueued again after the restart"), txn, cancellationToken: ct);
        Assert.Equal(childEntry, again.Id);

        restarted.Start();
        await WaitUntilAsync(async () => (await restarted.ListAsync(OutboxState.Sent, ct)).Count == 1, "the entry was sent");
        await Task.Delay(300, ct);
        Assert.Single(await restarted.ListAsync(cancellationToken: ct));
        Assert.Equal(["enqueued before the crash"], MessageBodies(hs, room));
        await AssertRequestCountAsync(hs, 1, "PUT", "/send/m.room.message/" + txn);
        Assert.Empty(hs.ServerErrors);
    }

    private long EnqueueInChildThenKill(string owner, string room, string txn)
    {
        var start = new ProcessStartInfo("dotnet", [CrashChild.Dll(), "outbox", Database, owner, room, txn])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the child");
        var line = process.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(60)) || line.Result is not { } enqueued || !enqueued.StartsWith("ENQUEUED ", StringComparison.Ordinal))
        {
            process.Kill();
            throw new Xunit.Sdk.XunitException("the child never enqueued: " + process.StandardError.ReadToEnd());
        }
        process.Kill(); // SIGKILL on Linux: no dispose, no finally, nothing written after EnqueueAsync returned
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.NotEqual(0, process.ExitCode);
        return long.Parse(enqueued["ENQUEUED ".Length..]);
    }
}
