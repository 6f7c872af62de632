using WalkieTalkie.Badge.Simulation;

namespace WalkieTalkie.Gateway.Bench;

/// <summary>The <c>mouth</c> mode's table: a row per listener per run, at 8 and 16 kHz.</summary>
public static class MouthToEarTable
{
    public static async Task PrintAsync(double seconds, int runs, string? traceFolder, int trimWindowMilliseconds, IReadOnlyList<int> rates, int blocksPerFrame)
    {
        var folder = Directory.CreateTempSubdirectory("wt-mouth-").FullName;
        try
        {
            var speech = MouthToEar.MakeSpeech(folder, seconds);
            Console.WriteLine();
            Console.WriteLine($"mouth to ear, one {seconds:0} s burst per run, talker and two listeners on one gateway (loopback), latency trim window {trimWindowMilliseconds} ms, {blocksPerFrame} block(s) per frame");
            Console.WriteLine();
            Console.WriteLine("| rate | run | listener | first (ms) | p50 (ms) | p99 (ms) | max (ms) | end (ms) | played | concealed | silent | underruns | shortened | lost | load |");
            Console.WriteLine("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var rate in rates)
            {
                for (var run = 1; run <= runs; run++)
                {
                    var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
                    foreach (var r in await MouthToEar.RunAsync(rate, seconds, speech, trimWindowMilliseconds, blocksPerFrame))
                    {
                        Console.WriteLine($"| {rate} Hz | {run} | {r.Listener} | {r.FirstMs:F0} | {r.P50Ms:F0} | {r.P99Ms:F0} | {r.MaxMs:F0} | {r.EndMs:F0} | " +
                            $"{r.Played} | {r.Concealed} | {r.Silent} | {r.Underruns} | {r.Shortened} | {r.Lost} | {load} |");
                        if (traceFolder is not null)
                        {
                            Directory.CreateDirectory(traceFolder);
                            BlockTimeline.Write(r.Blocks, Path.Combine(traceFolder, $"{rate}-{run}-{r.Listener}.csv"));
                        }
                    }
                }
            }

            Console.WriteLine();
            Console.WriteLine("first: the burst's first block; end: the median of its last 2 s; played, concealed, silent: blocks; lost: frames");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
