using System.Diagnostics;
using MQTTnet.Protocol;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Bench;

/// <summary>The idle-capacity row: badges held, memory, and whether a burst still went through.</summary>
public sealed record IdleResult(int Requested, int Held, double ConnectSeconds, double GatewayMbBefore, double GatewayMbAfter, double KbPerBadge,
    double BurstP50Ms, double BurstP99Ms, bool BurstDelivered);

/// <summary>
/// How many connected idle badges one gateway holds: the badges connect from child processes (so the gateway's
/// process holds only its own side of each connection, and its memory is its own), each with a persistent session,
/// a subscription and an idle announcement, as a badge in standby does. Then a burst between two more badges shows
/// the gateway still serving.
/// </summary>
public static class IdleCapacity
{
    public static async Task<IdleResult> RunAsync(int badges, int perProcess)
    {
        var ids = Enumerable.Range(1, badges).Select(i => $"idle-{i:D5}").Concat(["talker", "listener"]).ToList();
        await using var gateway = await BenchGateway.StartAsync(ids, 8000, 0);
        new WalkieTalkie.Gateway.Storage.Sqlite.SqliteChannelStore(gateway.Host.Database).Join(1, "talker");
        new WalkieTalkie.Gateway.Storage.Sqlite.SqliteChannelStore(gateway.Host.Database).Join(1, "listener");
        foreach (var id in new[] { "talker", "listener" })
        {
            new WalkieTalkie.Gateway.Storage.Sqlite.SqlitePermitStore(gateway.Host.Database).Grant(id, 1, PermitBits.Known, null, "bench", true);
        }

        var before = MegabytesInUse();
        var secrets = Path.GetTempFileName();
        await File.WriteAllLinesAsync(secrets, ids.Take(badges).Select(id => $"{id} {gateway.Secrets[id]}"));
        var clock = Stopwatch.StartNew();
        var children = new List<Process>();
        var held = 0;
        try
        {
            for (var start = 0; start < badges; start += perProcess)
            {
                children.Add(StartClients(gateway.Port, secrets, start, Math.Min(perProcess, badges - start)));
            }

            foreach (var child in children)
            {
                held += await ReadyCountAsync(child);
            }

            var connectSeconds = clock.Elapsed.TotalSeconds;
            await Task.Delay(3000);
            var after = MegabytesInUse();
            var (p50, p99, delivered) = await BurstAmongIdleAsync(gateway);
            return new IdleResult(badges, held, connectSeconds, before, after, held == 0 ? 0 : (after - before) * 1024 / held, p50, p99, delivered);
        }
        finally
        {
            ClientProcess.StopAll(children);
            File.Delete(secrets);
        }
    }

    private static double MegabytesInUse()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64 / (1024.0 * 1024.0);
    }

    private static Process StartClients(int port, string secrets, int start, int count) =>
        ClientProcess.Start("idle-clients", port.ToString(), secrets, start.ToString(), count.ToString());

    private static async Task<int> ReadyCountAsync(Process child) =>
        await ClientProcess.ReadLineStartingAsync(child, "READY ") is { } line ? int.Parse(line[6..]) : 0;

    private static async Task<(double P50, double P99, bool Delivered)> BurstAmongIdleAsync(BenchGateway gateway)
    {
        await using var talker = await VirtualBadge.ConnectAsync(gateway.Port, "talker", gateway.Secrets["talker"]);
        await using var listener = await VirtualBadge.ConnectAsync(gateway.Port, "listener", gateway.Secrets["listener"]);
        await Task.Delay(500);
        const int frames = 50;
        listener.Expect(frames);
        talker.Expect(0);
        await talker.SendControlAsync(new FloorRequest { Channel = 1 });
        var grant = await talker.Granted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var sent = new long[frames];
        for (var i = 0; i < frames; i++)
        {
            var frame = new byte[12 + FanoutLatency.BlockBytes];
            WalkieTalkie.Protocol.Frames.AudioFrame.WriteHeader(frame, 0, 1, (byte)(i == 0 ? 1 : 0), grant.BurstId, (ushort)i, 0, 1, FanoutLatency.BlockBytes);
            sent[i] = Stopwatch.GetTimestamp();
            await talker.PublishAsync(Topics.UpAudio("talker"), frame, MqttQualityOfServiceLevel.AtMostOnce);
            await Task.Delay(40);
        }

        await talker.SendControlAsync(new FloorRelease { Channel = 1, BurstId = grant.BurstId, FrameCount = frames });
        var until = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < until && Volatile.Read(ref listener.Received) < frames)
        {
            await Task.Delay(50);
        }

        var latencies = Enumerable.Range(0, frames).Where(i => listener.Arrival(i) != 0)
            .Select(i => Stopwatch.GetElapsedTime(sent[i], listener.Arrival(i)).TotalMilliseconds).Order().ToList();
        return latencies.Count == 0
            ? (double.NaN, double.NaN, false)
            : (latencies[(latencies.Count - 1) / 2], latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(0.99 * latencies.Count) - 1)], latencies.Count == frames);
    }

    /// <summary>The child process: connects its share of idle badges, reports, and holds them until stdin closes.</summary>
    public static async Task<int> ClientsAsync(int port, string secretsFile, int start, int count)
    {
        var lines = (await File.ReadAllLinesAsync(secretsFile)).Skip(start).Take(count).Select(l => l.Split(' ')).ToList();
        var badges = new List<VirtualBadge>();
        using var gate = new SemaphoreSlim(16);
        var failures = 0;
        await Task.WhenAll(lines.Select(async parts =>
        {
            await gate.WaitAsync();
            try
            {
                var badge = await VirtualBadge.ConnectAsync(port, parts[0], parts[1]);
                lock (badges)
                {
                    badges.Add(badge);
                    if (badges.Count % 1000 == 0)
                    {
                        Console.WriteLine($"{badges.Count} connected");
                    }
                }
            }
            catch (Exception e)
            {
                if (Interlocked.Increment(ref failures) <= 3)
                {
                    Console.WriteLine($"{parts[0]} failed: {e.Message}");
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        Console.WriteLine($"READY {badges.Count(b => b.IsConnected)}");
        await Console.In.ReadToEndAsync();
        foreach (var badge in badges)
        {
            await badge.DisposeAsync();
        }

        return 0;
    }
}
