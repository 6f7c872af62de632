namespace WalkieTalkie.Gateway.Bench;

/// <summary>
/// The side-by-side table over all runs and measured bursts, per listener count and server: one burst's CPU per
/// delivery swings by a factor of three on a shared virtual machine (Mosquitto's own from 160 to 911 us in consecutive
/// bursts at one listener), for both servers alike, so a comparison is of medians over many alternating runs, not of
/// one row. A burst in which the gateway's runtime still compiled many methods (the rare work that short warm-up bursts
/// do not make hot) is counted, and also left out of a median of its own.
/// </summary>
internal static class VersusSummary
{
    /// <summary>At least this many methods compiled in a measured burst marks it as one where the compiler ran.</summary>
    public const int CompilingBurst = 20;

    public static void Print(IReadOnlyList<VersusResult> results)
    {
        Console.WriteLine();
        Console.WriteLine($"Over every run and measured burst: CPU per delivery and p99 as min / median / max; *settled* leaves out the gateway's bursts " +
            $"that compiled {CompilingBurst} methods or more; the ratio is the gateway's median over Mosquitto's:");
        Console.WriteLine();
        Console.WriteLine("| listeners | broker | bursts | CPU per delivery (us) | settled bursts | settled median (us) | p99 (ms) | CPU ratio (settled) | p99 ratio |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var listeners in results.Select(r => r.Listeners).Distinct().Order())
        {
            var ofCount = results.Where(r => r.Listeners == listeners && !double.IsNaN(r.CpuMicrosecondsPerDelivery)).ToList();
            var mosquitto = ofCount.Where(r => r.Broker == "mosquitto").ToList();
            foreach (var broker in ofCount.Select(r => r.Broker).Distinct())
            {
                var rows = ofCount.Where(r => r.Broker == broker).ToList();
                var settled = rows.Where(r => r.Broker != "gateway" || r.MethodsCompiled < CompilingBurst).ToList();
                var settledCpu = Median(settled.Select(r => r.CpuMicrosecondsPerDelivery));
                var p99 = Median(rows.Select(r => r.P99Ms));
                var versus = broker == "gateway" && mosquitto.Count > 0;
                Console.WriteLine($"| {listeners} | {broker} | {rows.Count} | {Spread(rows.Select(r => r.CpuMicrosecondsPerDelivery), "F0")} | {settled.Count} | " +
                    $"{settledCpu:F0} | {Spread(rows.Select(r => r.P99Ms), "F2")} | " +
                    $"{(versus ? $"{settledCpu / Median(mosquitto.Select(r => r.CpuMicrosecondsPerDelivery)):F2}x" : "-")} | " +
                    $"{(versus ? $"{p99 / Median(mosquitto.Select(r => r.P99Ms)):F2}x" : "-")} |");
            }
        }
    }

    private static string Spread(IEnumerable<double> values, string format)
    {
        var sorted = values.Order().ToList();
        return $"{sorted[0].ToString(format)} / {Median(sorted).ToString(format)} / {sorted[^1].ToString(format)}";
    }

    // The table's own rule for a median (nearest rank), as for the latencies.
    private static double Median(IEnumerable<double> values) => FanoutLatency.Percentile(values.Order().ToList(), 0.50);
}
