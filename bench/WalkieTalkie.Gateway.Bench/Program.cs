using System.Globalization;
using System.Runtime.InteropServices;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Gateway.Bench;

// dotnet run -c Release --project bench/WalkieTalkie.Gateway.Bench [-- latency|idle|console|all] [--listeners 1,100,1000] [--frames 150] [--idle 10000]
//                                                              [-- mouth [--seconds 30] [--runs 3] [--trace DIR] [--trim-window MS] [--rates 8000,16000] [--blocks-per-frame 1]]
//                                                              [-- versus [--listeners 1,100,1000] [--frames 150] [--runs 1]] (gateway vs Mosquitto, listeners in child processes)
//                                                              [-- wire [--rate 8000] [--seconds 20] [--tls] [--port P] [--blocks-per-frame 1]] (for scripts/wire-rate)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length > 0 && args[0] == "versus-clients")
{
    return await VersusClients.RunAsync(args[1..]);
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
    Console.WriteLine("| listeners | broker | run | talker to listener p50 (ms) | p99 (ms) | max (ms) | delivered | server CPU per delivery (us) | server RSS (MB) | load |");
    Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (var run = 1; run <= int.Parse(Option("--runs", "1")); run++)
    {
        foreach (var n in listenerCounts)
        {
            foreach (var broker in new[] { "gateway", "mosquitto" })
            {
                var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
                var r = await FanoutVersus.RunAsync(broker, 8000, n, frames);
                Console.WriteLine($"| {r.Listeners} | {r.Broker} | {run} | {r.P50Ms:F2} | {r.P99Ms:F2} | {r.MaxMs:F1} | {r.Delivered:P2} | {r.CpuMicrosecondsPerDelivery:F1} | {r.RssMb:F0} | {load} |");
            }
        }
    }

    return 0;
}

if (mode is "wire")
{
    await WireBurst.RunAsync(int.Parse(Option("--rate", "8000")), double.Parse(Option("--seconds", "20")), args.Contains("--tls"), int.Parse(Option("--port", "0")),
        int.Parse(Option("--blocks-per-frame", "1")));
    return 0;
}

if (mode is "mouth")
{
    await MouthToEarTable.PrintAsync(double.Parse(Option("--seconds", "30")), int.Parse(Option("--runs", "3")), args.Contains("--trace") ? Option("--trace", "trace") : null,
        int.Parse(Option("--trim-window", BadgeOptions.DefaultLatencyTrimWindowMilliseconds.ToString(CultureInfo.InvariantCulture))),
        Option("--rates", "8000,16000").Split(',').Select(int.Parse).ToArray(), int.Parse(Option("--blocks-per-frame", "1")));
}

return 0;
