using System.Diagnostics;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Client.Tests.Support;
using WalkieTalkie.Matrix.Sending;
using static WalkieTalkie.Matrix.Client.Tests.Support.Harness;

namespace WalkieTalkie.Matrix.Client.Tests;

/// <summary>
/// A stuck entry a person puts back (the console's Retry, <c>walkie badge outbox retry</c>) is sent at once by the
/// outbox running on the file, from this process or another: not at the outbox's next idle look, which these tests
/// turn off.
/// </summary>
public sealed class OutboxRequeueWakeTests() : OutboxFolder("wt-outbox-wake-")
{
    // Stuck after three failed attempts; no idle look at all, so only a wake-up sends a put-back entry.
    private new OutboxOptions Options(MatrixClient client) =>
        base.Options(client) with { StuckAfter = TimeSpan.Zero, StuckAfterAttempts = 3, IdleRecheck = Timeout.InfiniteTimeSpan };

    [Fact]
    public async Task An_entry_put_back_through_the_file_in_this_process_is_sent_at_once()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var (outbox, stuck, room, failing, anna) = await StuckEntryAsync(hs, ct);
        await using var _o = outbox;
        using var _a = anna;

        failing.Fails = _ => false;
        using (var file = OutboxFile.OpenExisting(Database)!) // the console's Retry: UnsentMessages.RetryAsync
        {
            Assert.True(await file.RequeueAsync(stuck.Id, ct));
        }

        await WaitUntilAsync(() => MessageBodies(hs, room).Contains("stuck"), "the put-back entry was sent");
        Assert.Equal(["behind", "stuck"], MessageBodies(hs, room));
    }

    [Fact]
    public async Task An_entry_put_back_by_another_process_is_sent_at_once()
    {
        var ct = Bounded(TimeSpan.FromSeconds(120));
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var (outbox, stuck, room, failing, anna) = await StuckEntryAsync(hs, ct);
        await using var _o = outbox;
        using var _a = anna;

        failing.Fails = _ => false;
        Assert.Equal("REQUEUED", await RequeueInChildAsync(stuck.Id)); // walkie badge outbox retry, beside the gateway
        await WaitUntilAsync(() => MessageBodies(hs, room).Contains("stuck"), "the put-back entry was sent", TimeSpan.FromSeconds(60));
        Assert.Equal(["behind", "stuck"], MessageBodies(hs, room));
    }

    // A running outbox with one stuck entry (the homeserver failed its sends, the entry behind it went) and nothing pending.
    private async Task<(Outbox Outbox, OutboxEntry Stuck, string Room, FailingHandler Failing, MatrixClient Client)> StuckEntryAsync(
        TestHomeserver.TestHomeserver hs, CancellationToken ct)
    {
        var failing = new FailingHandler();
        var (_, anna) = NewClient(hs, "walkie-anna", failing);
        var room = await anna.CreateRoomAsync(new JsonObject(), ct);
        var outbox = new Outbox(anna, Options(anna));
        var transaction = MatrixClient.NewTransactionId();
        failing.Fails = r => r.Method == HttpMethod.Put && r.RequestUri!.AbsolutePath.EndsWith("/" + transaction, StringComparison.Ordinal);
        var stuck = await outbox.EnqueueAsync(room, "m.room.message", Text("stuck"), transaction, cancellationToken: ct);
        await outbox.EnqueueAsync(room, "m.room.message", Text("behind"), cancellationToken: ct);
        outbox.Start();
        await WaitUntilAsync(async () => (await outbox.ListAsync(OutboxState.Stuck, ct)).Count == 1, "the first entry is stuck");
        await WaitUntilAsync(() => outbox.Status == OutboxStatus.Idle, "the outbox is idle");
        return (outbox, stuck, room, failing, anna);
    }

    private async Task<string> RequeueInChildAsync(long id)
    {
        var start = new ProcessStartInfo("dotnet", [CrashChild.Dll(), "requeue", Database, id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the child");
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = await process.StandardOutput.ReadToEndAsync(bound.Token);
        await process.WaitForExitAsync(bound.Token);
        Assert.True(process.ExitCode == 0, "the child failed: " + await process.StandardError.ReadToEndAsync(bound.Token));
        return output.Trim();
    }
}
