namespace WalkieTalkie.Gateway.Bench;

/// <summary>The <c>sites</c> mode's table: per run, the listener at the talker's site, the one at the other site, and what the link added.</summary>
public static class SitesTable
{
    // A difference rounded to the digits shown, without the "-0" of a small negative one.
    private static string Added(double ms, int digits)
    {
        var rounded = Math.Round(ms, digits);
        return (rounded == 0 ? 0 : rounded).ToString("F" + digits, System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task PrintAsync(double seconds, int runs, int trimWindowMilliseconds, IReadOnlyList<int> rates, int races)
    {
        var folder = Directory.CreateTempSubdirectory("wt-sites-").FullName;
        try
        {
            var speech = MouthToEar.MakeSpeech(folder, seconds);
            Console.WriteLine();
            Console.WriteLine($"mouth to ear across two sites, one {seconds:0} s burst per run: talker and a listener at site A, a listener at site B, " +
                $"linked over the site link on loopback; latency trim window {trimWindowMilliseconds} ms");
            Console.WriteLine();
            Console.WriteLine("| rate | run | listener | mouth to ear first (ms) | p50 (ms) | p99 (ms) | max (ms) | frame sent to arrived p50 (ms) | p99 (ms) | max (ms) | played | concealed | underruns | lost | load |");
            Console.WriteLine("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            var settles = new List<(int Rate, SitesSettle.Result Result, string Load)>();
            foreach (var rate in rates)
            {
                await using var sites = await SitesMouthToEar.Sites.StartAsync(rate, ["talk", "ear-a", "press-a"], ["ear-b", "press-b"]);
                for (var run = 1; run <= runs; run++)
                {
                    var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
                    var r = await SitesMouthToEar.RunAsync(sites, rate, seconds, speech, trimWindowMilliseconds);
                    var (here, there) = (Transit.Of(r.Here), Transit.Of(r.There));
                    foreach (var (where, x, t) in new[] { ("site A (talker's)", r.Here, here), ("site B (over the link)", r.There, there) })
                    {
                        Console.WriteLine($"| {rate} Hz | {run} | {where} | {x.FirstMs:F0} | {x.P50Ms:F0} | {x.P99Ms:F0} | {x.MaxMs:F0} | {t.P50Ms:F1} | {t.P99Ms:F1} | {t.MaxMs:F1} | " +
                            $"{x.Played} | {x.Concealed} | {x.Underruns} | {x.Lost} | {load} |");
                    }

                    Console.WriteLine($"| {rate} Hz | {run} | **the link adds** | {Added(r.There.FirstMs - r.Here.FirstMs, 0)} | {Added(r.There.P50Ms - r.Here.P50Ms, 0)} | " +
                        $"{Added(r.There.P99Ms - r.Here.P99Ms, 0)} | {Added(r.There.MaxMs - r.Here.MaxMs, 0)} | {Added(there.P50Ms - here.P50Ms, 1)} | " +
                        $"{Added(there.P99Ms - here.P99Ms, 1)} | {Added(there.MaxMs - here.MaxMs, 1)} | | | | | |");
                }

                if (races > 0)
                {
                    var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
                    settles.Add((rate, await SitesSettle.RunAsync(sites, races), load));
                }
            }

            Console.WriteLine();
            Console.WriteLine("collisions over the site link: a badge at each site presses at the same moment");
            Console.WriteLine();
            Console.WriteLine("| rate | races | claims crossed (both granted) | press to granted p50 (ms) | p99 (ms) | press to settled p50 (ms) | p99 (ms) | max (ms) | disagreements | load |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (rate, s, load) in settles)
            {
                Console.WriteLine($"| {rate} Hz | {s.Races} | {s.Crossed} | {s.GrantP50Ms:F1} | {s.GrantP99Ms:F1} | {s.P50Ms:F1} | {s.P99Ms:F1} | {s.MaxMs:F1} | {s.Disagreements} | {load} |");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

/// <summary>
/// How long each frame took from the talker's send to the listener's receive (the network and the gateways, without the
/// jitter buffer that turns it into a steady mouth to ear), over the blocks heard live.
/// </summary>
internal sealed record Transit(double P50Ms, double P99Ms, double MaxMs)
{
    public static Transit Of(MouthToEar.Result heard)
    {
        var sorted = heard.Blocks.Where(b => b.SentAtMs is not null && b.ArrivedAtMs is not null).Select(b => b.ArrivedAtMs!.Value - b.SentAtMs!.Value).Order().ToArray();
        double At(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new Transit(At(0.5), At(0.99), sorted.LastOrDefault(double.NaN));
    }
}
