using System.Diagnostics;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Machine;
using WalkieTalkie.Matrix.Tests.Machine;

namespace WalkieTalkie.Matrix.Tests.Store;

/// <summary>kill -9 in the middle of a sync: a child process (tests/WalkieTalkie.Matrix.CrashChild) holding a badge's
/// key store decrypts some to-device messages of a batch, is SIGKILLed before the batch's commit, and restarts.
/// No to-device message may be lost, and none may be decrypted twice (a second decryption of an Olm message fails).</summary>
public sealed class KillNineTests : IDisposable
{
    private const string Child = "@walkie-anna:example.org", ChildDevice = "BADGE1";
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(90);
    private readonly string _dir = Directory.CreateTempSubdirectory("wt-kill9-").FullName;
    private readonly string _key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string StorePath => Path.Combine(_dir, "badge.db");

    [Fact]
    public void A_sync_killed_before_its_commit_is_replayed_whole_and_nothing_is_lost_or_decrypted_twice()
    {
        // The child's device, and its keys on the in-memory homeserver.
        var uploadPath = Path.Combine(_dir, "upload.json");
        Assert.Contains("INIT", Run("init", uploadPath));
        var upload = JsonNode.Parse(File.ReadAllText(uploadPath))!.AsObject();
        var server = new InMemoryHomeserver();
        server.AddDeviceKeys(upload["device_keys"]!.AsObject(),
            upload["one_time_keys"]!.AsObject().Select(k => (k.Key, k.Value!.AsObject())));

        // Two senders share eight room keys with it over Olm, and send one room event in each room.
        var pump = new MachinePump(server);
        var alice = OlmMachine.Create("@parent:example.org", "PHONE");
        var carol = OlmMachine.Create("@carol:example.org", "LAPTOP");
        pump.Settle(alice, carol);
        var everyDevice = new EncryptionSettings { OnlyCrossSignedDevices = false };
        var roomEvents = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            var sender = i % 2 == 0 ? alice : carol;
            var room = $"!room{i}:example.org";
            pump.Share(sender, room, [Child], everyDevice);
            var content = JsonNode.Parse(sender.EncryptRoomEvent(room, "m.room.message", $$"""{"body":"msg{{i}}"}"""));
            roomEvents.Add(new JsonObject
            {
                ["room_id"] = room,
                ["event"] = new JsonObject { ["type"] = "m.room.encrypted", ["sender"] = sender.UserId, ["event_id"] = $"$e{i}", ["origin_server_ts"] = i, ["content"] = content },
            }.ToJsonString());
        }
        var toDevice = server.TakeToDevice(Child, ChildDevice);
        Assert.Equal(8, toDevice.Count);
        for (var i = 0; i < toDevice.Count; i++)
        {
            toDevice[i]["id"] = i;
        }

        var batchesPath = Path.Combine(_dir, "batches.json");
        File.WriteAllText(batchesPath, new JsonArray(
            new JsonObject { ["since"] = null, ["next_batch"] = "t1", ["to_device"] = new JsonArray(toDevice.Take(3).Select(e => (JsonNode)e.DeepClone()).ToArray()) },
            new JsonObject { ["since"] = "t1", ["next_batch"] = "t2", ["to_device"] = new JsonArray(toDevice.Skip(3).Select(e => (JsonNode)e.DeepClone()).ToArray()) }
        ).ToJsonString());
        var eventsPath = Path.Combine(_dir, "events.jsonl");
        File.WriteAllLines(eventsPath, roomEvents);

        // Run 1: batch 1 commits; two events of batch 2 are decrypted in memory, then SIGKILL.
        var killed = RunUntilHoldThenKill(batchesPath, crashAfterEvents: 5);
        Assert.Equal(["EVENT 0 Decrypted m.room_key", "EVENT 1 Decrypted m.room_key", "EVENT 2 Decrypted m.room_key", "COMMIT t1", "EVENT 3 Decrypted m.room_key", "EVENT 4 Decrypted m.room_key", "HOLD"],
            killed.Select(Trim));

        // Run 2: batch 2 again from its start, on the state that never saw events 3 and 4: all five decrypt once.
        var resumed = Run("sync", batchesPath);
        Assert.Equal(["EVENT 3 Decrypted m.room_key", "EVENT 4 Decrypted m.room_key", "EVENT 5 Decrypted m.room_key", "EVENT 6 Decrypted m.room_key", "EVENT 7 Decrypted m.room_key", "COMMIT t2", "DONE"],
            resumed.Select(Trim));

        // Run 3: nothing is processed again.
        Assert.Equal(["DONE"], Run("sync", batchesPath));

        // No key was lost: every room's event decrypts.
        var verified = Run("verify", eventsPath);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"DECRYPTED !room{i}:example.org msg{i}"), verified);
    }

    private static string Trim(string line) => line.TrimEnd();

    private List<string> Run(string mode, string file)
    {
        using var process = Start(mode, file, crashAfterEvents: null);
        var output = new List<string>();
        var reading = Task.Run(() => { while (process.StandardOutput.ReadLine() is { } line) { output.Add(line); } });
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(StepTimeout), $"the child ({mode}) did not finish");
        reading.Wait(StepTimeout);
        Assert.True(process.ExitCode == 0, $"the child ({mode}) failed: {stderr.Result}");
        return output;
    }

    private List<string> RunUntilHoldThenKill(string file, int crashAfterEvents)
    {
        using var process = Start("sync", file, crashAfterEvents);
        var output = new List<string>();
        var deadline = DateTime.UtcNow + StepTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var line = process.StandardOutput.ReadLineAsync();
            if (!line.Wait(deadline - DateTime.UtcNow) || line.Result is null)
            {
                break;
            }

            output.Add(line.Result);
            if (line.Result == "HOLD")
            {
                process.Kill(); // SIGKILL on Linux: no finally blocks, no flush, no commit
                Assert.True(process.WaitForExit(StepTimeout));
                Assert.NotEqual(0, process.ExitCode);
                return output;
            }
        }
        process.Kill();
        throw new Xunit.Sdk.XunitException("the child never reached HOLD: " + string.Join(" | ", output) + process.StandardError.ReadToEnd());
    }

    private Process Start(string mode, string file, int? crashAfterEvents)
    {
        var start = new ProcessStartInfo("dotnet", [CrashChild.Dll(), mode, StorePath, Child, ChildDevice, file])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["WALKIE_STORE_KEY"] = _key;
        if (crashAfterEvents is { } n)
        {
            start.Environment["WALKIE_CRASH_AFTER_EVENTS"] = n.ToString();
        }
        else
        {
            start.Environment.Remove("WALKIE_CRASH_AFTER_EVENTS");
        }

        return Process.Start(start) ?? throw new InvalidOperationException("cannot start the child");
    }
}
