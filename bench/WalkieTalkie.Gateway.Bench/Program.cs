using System.Globalization;
using System.Runtime.InteropServices;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Gateway.Bench;

// dotnet run -c Release --project bench/WalkieTalkie.Gateway.Bench [-- latency|idle|console|all] [--listeners 1,100,1000] [--frames 150] [--idle 10000]
//                                                              [-- mouth [--seconds 30] [--runs 3] [--trace DIR] [--trim-window MS] [--rates 8000,16000] [--blocks-per-frame 1]]
//                                                              [-- versus [--listeners 1,100,1000] [--frames 150] [--runs 1] [--brokers gateway,mosquitto] [--warmup-pace 1] [--warmup-seconds 0] [--bursts 1]]
//                                                                 (gateway vs Mosquitto, listeners in child processes)
//                                                              [-- quiet [--connected 2] [--seconds 30]] (the gateway's CPU with no traffic, by thread)
//                                                              [-- storm [--badges 1000,10000] [--per-process 2500] [--spread-ms 1000]] (gateway restart with every badge connected)
//                                                              [-- wire [--rate 8000] [--seconds 20] [--tls] [--port P] [--blocks-per-frame 1]] (for scripts/wire-rate)
//                                                              [-- collision [--races 1000]] (time to settle a floor collision across sites)
//                                                              [-- sites [--seconds 30] [--runs 3] [--rates 8000,16000] [--races 50]] (mouth to ear and collisions across two sites linked on loopback)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length > 0 && args[0] == "versus-clients")
{
    return await VersusClients.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == VersusGateway.Mode)
{
    return await VersusGateway.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "storm-clients")
{
    return await StormClients.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "idle-clients")
{
    return await IdleCapacity.ClientsAsync(int.Parse(args[1]), args[2], int.Parse(args[3]), int.Parse(args[4]));
}

string Option(string name, string fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}

var mode = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "all";
var listenerCounts = Option("--listeners", "1,100,1000").Split(',').Select(int.Parse).ToArray();
var frames = int.Parse(Option("--frames", "150"));
var idle = int.Parse(Option("--idle", "10000"));

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at start");
if (mode is "latency" or "all")
{
    Console.WriteLine();
    Console.WriteLine("| rate | listeners | frames | frame (ms) | talker to listener p50 (ms) | p99 (ms) | max (ms) | delivered | gateway's own p50 / p99 (ms) | mouth-to-ear p50 / p99 (ms, computed) |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var rate in new[] { 8000, 16000 })
    {
        foreach (var listeners in listenerCounts)
        {
            var r = await FanoutLatency.RunAsync(rate, listeners, frames);
            // Mouth to ear: one block is captured before it can be sent, and a badge holds one block of jitter buffer.
            var m50 = 2 * r.FrameMs + r.P50Ms;
            var m99 = 2 * r.FrameMs + r.P99Ms;
            Console.WriteLine($"| {rate} Hz | {listeners} | {frames} | {r.FrameMs:F1} | {r.P50Ms:F2} | {r.P99Ms:F2} | {r.MaxMs:F1} | {r.Delivered:P2} | {r.GatewayP50Ms:F2} / {r.GatewayP99Ms:F2} | {m50:F0} / {m99:F0} |");
        }
    }
}

if (mode is "console" or "all")
{
    Console.WriteLine();
    Console.WriteLine($"| listeners | console watching | fan-out p50 / p99 (ms) | delivered | battery reports (one per {ConsoleLatency.EventIntervalMs} ms) | shown | report to page update p50 / p99 / max (ms) | floor request to holder shown (ms) |");
    Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|");
    foreach (var listeners in listenerCounts)
    {
        foreach (var watching in new[] { false, true })
        {
            var r = await ConsoleLatency.RunAsync(8000, listeners, frames, watching);
            Console.WriteLine($"| {listeners} | {(watching ? "yes" : "no")} | {r.Fanout.P50Ms:F2} / {r.Fanout.P99Ms:F2} | {r.Fanout.Delivered:P2} | {r.Events} | " +
                (watching ? $"{r.Shown} | {r.P50Ms:F0} / {r.P99Ms:F0} / {r.MaxMs:F0} | {r.HolderMs:F0} |" : "- | - | - |"));
        }
    }
}

if (mode is "idle" or "all")
{
    var r = await IdleCapacity.RunAsync(idle, 5000);
    Console.WriteLine();
    Console.WriteLine("| idle badges asked | held | connect time (s) | gateway process MB before / after | KB per badge | burst among them p50 / p99 (ms) | burst delivered |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
    Console.WriteLine($"| {r.Requested} | {r.Held} | {r.ConnectSeconds:F0} | {r.GatewayMbBefore:F0} / {r.GatewayMbAfter:F0} | {r.KbPerBadge:F1} | {r.BurstP50Ms:F2} / {r.BurstP99Ms:F2} | {(r.BurstDelivered ? "all 50 frames" : "no")} |");
}

if (mode is "versus")
{
    Console.WriteLine();
    // CPU per delivery is read to the nanosecond (ProcessCpu); "from ticks" is the same over the kernel's 10 ms ticks, as
    // the bench read it before, kept as a check. Start-up is the gateway's process's start to its listening (a cold start
    // each row). The runtime's compiler's CPU over the burst is in the table by thread.
    Console.WriteLine("| listeners | broker | run | burst | talker to listener p50 (ms) | p99 (ms) | max (ms) | delivered | server CPU per delivery (us) | from ticks (us) | server RSS (MB) | load | warm-up bursts | methods compiled in the burst | start-up (ms) | gateway's own p50 / p99 (ms) |");
    Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    var threadRows = new List<string>();
    var measured = new List<VersusResult>();
    var brokers = Option("--brokers", "gateway,mosquitto").Split(',');
    var warmUpPace = double.Parse(Option("--warmup-pace", "1"), CultureInfo.InvariantCulture);
    var measuredBursts = int.Parse(Option("--bursts", "1"));
    for (var run = 1; run <= int.Parse(Option("--runs", "1")); run++)
    {
        foreach (var n in listenerCounts)
        {
            foreach (var broker in brokers)
            {
                var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
                try
                {
                    var rows = await FanoutVersus.RunAsync(broker, 8000, n, frames, warmUpPace, double.Parse(Option("--warmup-seconds", "0"), CultureInfo.InvariantCulture),
                        measuredBursts);
                    foreach (var r in rows)
                    {
                        PrintVersusRow(r, run, load, threadRows);
                    }

                    measured.AddRange(rows);
                }
                catch (InvalidOperationException e)
                {
                    // A talker whose floor was not granted within its 30 s ends its process: the row fails, the table goes on.
                    Console.WriteLine($"| {n} | {broker} | {run} | | failed: {e.Message} | | | | | | | {load} | | | | |");
                }
            }
        }
    }

    VersusSummary.Print(measured);
    Console.WriteLine();
    Console.WriteLine("Each server's process over each measured burst, by thread (CPU to the nanosecond, and from the kernel's 10 ms ticks as a check):");
    Console.WriteLine();
    Console.WriteLine("| listeners | broker | run | burst | thread | CPU (ms) | per delivery (us) | from ticks (ms) |");
    Console.WriteLine("|---:|---|---:|---:|---|---:|---:|---:|");
    threadRows.ForEach(Console.WriteLine);
    return 0;
}

if (mode is "quiet")
{
    await QuietCpu.PrintAsync(int.Parse(Option("--connected", "2")), double.Parse(Option("--seconds", "30")));
    return 0;
}

if (mode is "storm")
{
    Console.WriteLine();
    Console.WriteLine("| badges | first connect, all served (s) | stop (s) | start to listening (s) | back | served | all back (s) | all served (s) | served p50 / p99 (s) | refused / dropped / lost | gateway CPU (s, % of a core) | clients CPU (s) | gateway RSS (MB) | load before / after |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var n in Option("--badges", "1000,10000").Split(',').Select(int.Parse))
    {
        var r = await ReconnectStorm.RunAsync(n, int.Parse(Option("--per-process", "2500")), int.Parse(Option("--spread-ms", "1000")), TimeSpan.FromSeconds(300));
        Console.WriteLine($"| {r.Badges} | {r.FirstServedSeconds:F1} | {r.StopSeconds:F1} | {r.StartSeconds:F2} | {r.Reconnected} | {r.Served} | {r.AllConnectedSeconds:F1} | {r.AllServedSeconds:F1} | " +
            $"{r.P50Seconds:F1} / {r.P99Seconds:F1} | {r.Refused} / {r.Dropped} / {r.Lost} | {r.GatewayCpuSeconds:F1}, {100 * r.GatewayCpuSeconds / r.AllServedSeconds:F0} % | {r.ClientsCpuSeconds:F1} | {r.GatewayRssMb:F0} | {r.LoadBefore} / {r.LoadAfter} |");
    }

    return 0;
}

if (mode is "wire")
{
    await WireBurst.RunAsync(int.Parse(Option("--rate", "8000")), double.Parse(Option("--seconds", "20")), args.Contains("--tls"), int.Parse(Option("--port", "0")),
        int.Parse(Option("--blocks-per-frame", "1")));
    return 0;
}

if (mode is "collision")
{
    await CollisionSettle.PrintAsync(int.Parse(Option("--races", "1000")));
    return 0;
}

if (mode is "sites")
{
    await SitesTable.PrintAsync(double.Parse(Option("--seconds", "30")), int.Parse(Option("--runs", "3")),
        int.Parse(Option("--trim-window", BadgeOptions.DefaultLatencyTrimWindowMilliseconds.ToString(CultureInfo.InvariantCulture))),
        Option("--rates", "8000,16000").Split(',').Select(int.Parse).ToArray(), int.Parse(Option("--races", "50")));
    return 0;
}

if (mode is "mouth")
{
    await MouthToEarTable.PrintAsync(double.Parse(Option("--seconds", "30")), int.Parse(Option("--runs", "3")), args.Contains("--trace") ? Option("--trace", "trace") : null,
        int.Parse(Option("--trim-window", BadgeOptions.DefaultLatencyTrimWindowMilliseconds.ToString(CultureInfo.InvariantCulture))),
        Option("--rates", "8000,16000").Split(',').Select(int.Parse).ToArray(), int.Parse(Option("--blocks-per-frame", "1")));
}

return 0;

// One row of versus' table, and its server's threads kept for the table under it.
static void PrintVersusRow(VersusResult r, int run, string load, List<string> threadRows)
{
    var deliveries = r.Delivered * r.Frames * r.Listeners;
    threadRows.AddRange(r.Threads.Select(t =>
        $"| {r.Listeners} | {r.Broker} | {run} | {r.Burst} | {t.Thread} | {t.Milliseconds:F1} | {1000 * t.Milliseconds / deliveries:F1} | {t.TickMilliseconds:F0} |"));
    threadRows.Add($"| {r.Listeners} | {r.Broker} | {run} | {r.Burst} | **process** | **{r.CpuMicrosecondsPerDelivery * deliveries / 1000:F1}** | " +
        $"**{r.CpuMicrosecondsPerDelivery:F1}** | {r.TickCpuMicrosecondsPerDelivery * deliveries / 1000:F0} |");
    var gateway = r.Broker == "gateway";
    Console.WriteLine($"| {r.Listeners} | {r.Broker} | {run} | {r.Burst} | {r.P50Ms:F2} | {r.P99Ms:F2} | {r.MaxMs:F1} | {r.Delivered:P2} | {r.CpuMicrosecondsPerDelivery:F1} | " +
        $"{r.TickCpuMicrosecondsPerDelivery:F1} | {r.RssMb:F0} | {load} | {r.WarmUps} | {(gateway ? r.MethodsCompiled : "-")} | " +
        $"{(gateway && !double.IsNaN(r.StartMilliseconds) ? $"{r.StartMilliseconds:F0}" : "-")} | {(gateway ? $"{r.OwnP50Ms:F2} / {r.OwnP99Ms:F2}" : "-")} |");
}
