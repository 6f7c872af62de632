using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.EndToEnd.Tests.Support;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Storage.Sqlite.Bridge;

namespace WalkieTalkie.EndToEnd.Tests.Adapters;

/// <summary>
/// The incoming queue on a real gateway database: each event once however many badge devices deliver it, state and
/// messages in delivery order, a failing handler retried with backoff while the room's later messages wait, and what
/// was pending at a stop handled after the restart.
/// </summary>
public sealed class IncomingQueueTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wt-bridge-incoming-").FullName;

    private SqliteDatabase Open() => new(Path.Combine(_folder, "walkie.db"));

    /// <summary>Records what it was handed, in order; throws for the events listed in <see cref="FailNext"/>.</summary>
    private sealed class RecordingHandler : IIncomingHandler
    {
        public ConcurrentQueue<string> Seen { get; } = new();
        public ConcurrentDictionary<string, int> FailNext { get; } = new();

        /// <summary>Called as a listed event fails (before the exception is thrown).</summary>
        public Action? BeforeFail { get; set; }

        public Task<string> HandleMessageAsync(IncomingEvent message, CancellationToken cancellationToken)
        {
            if (FailNext.TryGetValue(message.EventId, out var left) && left > 0)
            {
                FailNext[message.EventId] = left - 1;
                Seen.Enqueue("fail " + message.EventId);
                BeforeFail?.Invoke();
                throw new HttpRequestException("the homeserver is away");
            }
            Seen.Enqueue($"message {message.EventId} device={message.SenderDevice ?? "-"} attempts={message.Attempts}");
            return Task.FromResult("played");
        }

        public Task HandleStateAsync(string roomId, string source, RoomStateEvent stateEvent, CancellationToken cancellationToken)
        {
            Seen.Enqueue("state " + stateEvent.EventId);
            return Task.CompletedTask;
        }
    }

    private static RoomStateEvent State(string id) =>
        new(WalkieEventTypes.Permit, "device/@dad:test/PHONE", "@dad:test", JsonDocument.Parse("{}").RootElement, 1, id);

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_table_that_goes_away_under_the_worker_stops_nothing_the_message_is_handled_once_it_is_back()
    {
        var store = new FlakyIncomingStore(new SqliteIncomingStore(Open()));
        var handler = new RecordingHandler();
        await using var queue = new IncomingQueue(store, handler, NullLogger.Instance, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100));
        queue.Start();

        // The media download fails, and the database goes away before the worker can postpone the message.
        handler.FailNext["$voice"] = 1;
        handler.BeforeFail = () => store.Away = true;
        Assert.True(queue.AddMessage("$voice", "!r:test", "@dad:test", "PHONE", "m.room.message", "{}", 1));
        await Until(() => store.RefusedCalls >= 3, "the worker to try the table again, and again");
        store.Away = false;

        await Until(() => store.OutcomeOf("$voice") == "played", "the message once the table is back");
        Assert.True(queue.AddMessage("$later", "!r:test", "@dad:test", "PHONE", "m.room.message", "{}", 2));
        await Until(() => store.OutcomeOf("$later") == "played", "a later message");
        Assert.Equal(["fail $voice", "message $voice device=PHONE attempts=0", "message $later device=PHONE attempts=0"], handler.Seen.ToArray());
    }

    [Fact]
    public async Task Each_event_is_handled_once_in_delivery_order_and_a_later_device_copy_is_a_no_op()
    {
        var store = new SqliteIncomingStore(Open());
        var handler = new RecordingHandler();
        await using var queue = new IncomingQueue(store, handler, NullLogger.Instance);
        queue.Start();

        queue.AddState("!r:test", "@walkie-kid:test", State("$permit"));
        // Two badge devices deliver the same message; the second copy knows the sending device.
        Assert.True(queue.AddMessage("$voice", "!r:test", "@dad:test", null, "m.room.message", "{}", 1));
        Assert.False(queue.AddMessage("$voice", "!r:test", "@dad:test", "PHONE", "m.room.message", "{}", 1));
        await Until(() => store.OutcomeOf("$voice") == "played", "the message to be handled");
        // A device that lags behind delivers it after it was handled: nothing happens.
        Assert.False(queue.AddMessage("$voice", "!r:test", "@dad:test", "PHONE", "m.room.message", "{}", 1));
        await Task.Delay(200);

        var seen = handler.Seen.ToArray();
        Assert.Equal("state $permit", seen[0]);
        var message = Assert.Single(seen, s => s.StartsWith("message", StringComparison.Ordinal));
        // The worker may have taken the first copy before the second arrived; either way it is handled once.
        Assert.Matches("^message \\$voice device=(-|PHONE) attempts=0$", message);
    }

    [Fact]
    public async Task A_failing_message_is_retried_with_backoff_and_the_rooms_later_messages_wait_behind_it()
    {
        var store = new SqliteIncomingStore(Open());
        var handler = new RecordingHandler();
        handler.FailNext["$first"] = 2;
        await using var queue = new IncomingQueue(store, handler, NullLogger.Instance, firstRetry: TimeSpan.FromMilliseconds(100));
        queue.Start();

        var started = DateTime.UtcNow;
        queue.AddMessage("$first", "!r:test", "@dad:test", "PHONE", "m.room.message", "{}", 1);
        queue.AddMessage("$second", "!r:test", "@dad:test", "PHONE", "m.room.message", "{}", 2);
        queue.AddMessage("$other-room", "!o:test", "@mum:test", "MUM", "m.room.message", "{}", 3);
        await Until(() => store.OutcomeOf("$second") == "played", "the room's second message");
        var elapsed = DateTime.UtcNow - started;

        var seen = handler.Seen.ToArray();
        Assert.Equal(["fail $first", "fail $first", "message $first device=PHONE attempts=2", "message $second device=PHONE attempts=0"],
            seen.Where(s => !s.Contains("other-room", StringComparison.Ordinal)));
        // Another room is not held up by this one.
        Assert.True(Array.IndexOf(seen, "message $other-room device=MUM attempts=0") < Array.IndexOf(seen, "message $first device=PHONE attempts=2"));
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(300), $"two backoffs (100 + 200 ms) took only {elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task What_is_pending_at_a_stop_is_handled_after_the_restart()
    {
        var handler = new RecordingHandler();
        handler.FailNext["$waiting"] = 1;
        await using (var before = new IncomingQueue(new SqliteIncomingStore(Open()), handler, NullLogger.Instance, firstRetry: TimeSpan.FromMinutes(10)))
        {
            before.Start();
            before.AddMessage("$waiting", "!r:test", "@dad:test", "PHONE", "m.room.message", "{\"body\":\"kept\"}", 1);
            await Until(() => handler.Seen.Contains("fail $waiting"), "the first attempt");
        }
        // Delivered while the queue was not started (the devices start before the bridges exist): persisted already.
        var store = new SqliteIncomingStore(Open());
        var after = new IncomingQueue(store, handler, NullLogger.Instance, firstRetry: TimeSpan.FromMinutes(10));
        after.AddMessage("$early", "!r:test", "@dad:test", "PHONE", "m.room.message", "{}", 2);
        Assert.Null(store.OutcomeOf("$early"));
        // The postponed one is due in 10 minutes: a restart does not skip its backoff, so make it due now.
        using (var connection = Open().Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "UPDATE bridge_incoming SET next_attempt_ms = 0";
            command.ExecuteNonQuery();
        }
        after.Start();
        await Until(() => store.OutcomeOf("$early") == "played", "the early message");
        await after.DisposeAsync();
        Assert.Equal("played", store.OutcomeOf("$waiting"));
        Assert.Equal(["fail $waiting", "message $waiting device=PHONE attempts=1", "message $early device=PHONE attempts=0"], handler.Seen);
        Assert.Empty(store.Pending(long.MaxValue));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
