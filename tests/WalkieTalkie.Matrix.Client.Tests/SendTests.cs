using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Client.Sync;
using WalkieTalkie.Matrix.Client.Tests.Support;
using static WalkieTalkie.Matrix.Client.Tests.Support.Harness;

namespace WalkieTalkie.Matrix.Client.Tests;

/// <summary>Room events and to-device messages with transaction ids: a retry after a lost answer creates nothing twice.</summary>
public sealed class SendTests
{
    [Fact]
    public async Task A_send_whose_answer_was_lost_is_retried_with_its_transaction_id_and_makes_one_event()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var lossy = new LossyHandler { LoseAnswersTo = r => r.Method == HttpMethod.Put && r.RequestUri!.AbsolutePath.Contains("/send/") };
        var (_, anna) = NewClient(hs, "walkie-anna", lossy);
        using var _a = anna;
        var room = await anna.CreateRoomAsync(new JsonObject(), ct);

        lossy.LoseNext(2);
        var txn = MatrixClient.NewTransactionId();
        var eventId = await anna.SendRoomEventAsync(room, "m.room.message", Text("once"), txn, ct);

        Assert.Equal(2, lossy.AnswersLost);
        await AssertRequestCountAsync(hs, 3, "PUT", "/send/m.room.message/" + txn);
        Assert.Equal(["once"], MessageBodies(hs, room));
        Assert.Equal(eventId, hs.RoomEvents(room).Last()["event_id"]!.GetValue<string>());

        // The same id again later (a restart that did not know it was sent) still makes no second event.
        Assert.Equal(eventId, await anna.SendRoomEventAsync(room, "m.room.message", Text("once"), txn, ct));
        Assert.Equal(["once"], MessageBodies(hs, room));

        // A new transaction id is a new event.
        await anna.SendRoomEventAsync(room, "m.room.message", Text("twice"), MatrixClient.NewTransactionId(), ct);
        Assert.Equal(["once", "twice"], MessageBodies(hs, room));
    }

    [Fact]
    public void Transaction_ids_are_fresh_and_url_safe()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => MatrixClient.NewTransactionId()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(Uri.EscapeDataString(id), id));
    }

    [Fact]
    public async Task A_to_device_message_sent_twice_with_one_transaction_id_arrives_once()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var lossy = new LossyHandler { LoseAnswersTo = r => r.RequestUri!.AbsolutePath.Contains("/sendToDevice/") };
        var (_, anna) = NewClient(hs, "walkie-anna", lossy);
        var (ben, benClient) = NewClient(hs, "ben", deviceId: "PHONE");
        using var _a = anna;
        using var _b = benClient;

        lossy.LoseNext(1);
        var txn = MatrixClient.NewTransactionId();
        var messages = new JsonObject { [ben.UserId] = new JsonObject { ["PHONE"] = new JsonObject { ["text"] = "hi" } } };
        await anna.SendToDeviceAsync("org.example.hello", messages, txn, ct);
        await anna.SendToDeviceAsync("org.example.hello", messages, txn, ct);
        Assert.Equal(1, lossy.AnswersLost);
        await AssertRequestCountAsync(hs, 3, "PUT", "/sendToDevice/");

        var handler = new RecordingSyncHandler();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = new SyncLoop(benClient, handler, new SyncLoopOptions { Timeout = TimeSpan.FromSeconds(20) }).RunAsync(null, stop.Token);
        await WaitUntilAsync(() => handler.ToDevice.Count > 0, "Ben's device received the message");
        await WaitUntilAsync(() => hs.PendingToDevice(ben.UserId, "PHONE").Count == 0, "the server dropped the acknowledged message");

        var received = Assert.Single(handler.ToDevice);
        Assert.Equal(("org.example.hello", "@walkie-anna:test.local", "hi"),
            (received.Type, received.Sender, received.Content["text"]!.GetValue<string>()));
        await stop.CancelAsync();
        await running;
    }
}
