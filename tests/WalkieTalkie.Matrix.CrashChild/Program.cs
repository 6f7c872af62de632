// The kill -9 test's child: one badge device with its key store, processing scripted sync batches.
//
//   init   <store> <user> <device> <upload-out>   create the device, write its keys upload body, save
//   sync   <store> <user> <device> <batches>      process every batch after the saved token, one to-device event at a
//                                                 time; save state and token per batch. With WALKIE_CRASH_AFTER_EVENTS=N
//                                                 it prints "HOLD" after the N-th event (before that batch's commit) and
//                                                 waits to be killed.
//   verify <store> <user> <device> <events>       decrypt room events (one JSON object per line: room_id + event)
//   outbox <outbox.db> <owner> <room> <txn>       enqueue one text event under the caller's transaction id (no
//                                                 sender loop), print "ENQUEUED <entry id>" and wait to be killed: the
//                                                 bridge's crash window between the enqueue and its own bookkeeping
//   requeue <outbox.db> <entry id>                put a stuck entry back as `walkie badge outbox retry` does, from
//                                                 another process than the sending one; print "REQUEUED" or "NOT REQUEUED"
//
// The key store key comes from WALKIE_STORE_KEY, as in the gateway. Output is one line per fact, for the test to read.
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Client;
using WalkieTalkie.Matrix.Crypto;
using WalkieTalkie.Matrix.Crypto.Machine;
using WalkieTalkie.Matrix.Sending;
using WalkieTalkie.Matrix.Store;

if (args[0] == "requeue")
{
    using var outboxFile = OutboxFile.OpenExisting(args[1]) ?? throw new FileNotFoundException("no outbox file", args[1]);
    Console.WriteLine(await outboxFile.RequeueAsync(long.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)) ? "REQUEUED" : "NOT REQUEUED");
    return;
}

var (mode, storePath, user, device, file) = (args[0], args[1], args[2], args[3], args[4]);
if (mode == "outbox")
{
    var (owner, room, txn) = (user, device, file);
    // Nothing is sent (the loop is never started), so the client needs no homeserver that answers.
    using var client = new MatrixClient(new Uri("http://127.0.0.1:9/"));
    var outbox = new Outbox(client, new OutboxOptions { DatabasePath = storePath, Owner = owner });
    var entry = await outbox.EnqueueAsync(room, "m.room.message",
        new JsonObject { ["msgtype"] = "m.text", ["body"] = "enqueued before the crash" }, txn);
    Console.WriteLine($"ENQUEUED {entry.Id}");
    Console.Out.Flush();
    Thread.Sleep(Timeout.Infinite); // the test kills us here: no dispose, no flush beyond what EnqueueAsync committed
}
using var store = CryptoStore.Open(storePath, StoreKeySource.Load(null));
var machine = store.OpenMachine(user, device);

switch (mode)
{
    case "init":
        var upload = machine.OutgoingRequests().Single();
        File.WriteAllText(file, upload.BodyJson);
        machine.MarkRequestAsSent(upload.RequestId, """{"one_time_key_counts":{"signed_curve25519":50}}""");
        store.SaveChanges(machine.TakeChanges(), null);
        Console.WriteLine("INIT");
        break;

    case "sync":
        var crashAfter = int.TryParse(Environment.GetEnvironmentVariable("WALKIE_CRASH_AFTER_EVENTS"), out var n) ? n : -1;
        var processed = 0;
        var batches = JsonNode.Parse(File.ReadAllText(file))!.AsArray();
        while (batches.FirstOrDefault(b => b!["since"]?.GetValue<string>() == store.SyncToken) is { } batch)
        {
            foreach (var toDevice in batch["to_device"]!.AsArray())
            {
                var result = machine.ReceiveSyncChanges(new SyncChanges { ToDeviceEvents = [toDevice!.AsObject()] }).Single();
                Console.WriteLine($"EVENT {toDevice["id"]} {result.Outcome} {result.Type} {result.Error}");
                if (++processed == crashAfter)
                {
                    Console.WriteLine("HOLD");
                    Thread.Sleep(Timeout.Infinite); // the test kills us here: processed in memory, not committed
                }
            }
            var next = batch["next_batch"]!.GetValue<string>();
            store.SaveChanges(machine.TakeChanges(), next);
            Console.WriteLine("COMMIT " + next);
        }
        Console.WriteLine("DONE");
        break;

    case "verify":
        foreach (var line in File.ReadAllLines(file))
        {
            var entry = JsonNode.Parse(line)!;
            try
            {
                var decrypted = machine.DecryptRoomEvent(entry["room_id"]!.GetValue<string>(), entry["event"]!.ToJsonString());
                Console.WriteLine($"DECRYPTED {entry["room_id"]} {decrypted.Content["body"]}");
            }
            catch (MatrixCryptoException e)
            {
                Console.WriteLine($"FAILED {entry["room_id"]} {e.Error}");
            }
        }
        break;
}
Console.Out.Flush();
