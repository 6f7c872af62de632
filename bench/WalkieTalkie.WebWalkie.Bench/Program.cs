using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using WalkieTalkie.Badge.Simulation.Tests.Support;
using WalkieTalkie.Tests.Shared;
using WalkieTalkie.WebWalkie.Bench;
using WalkieTalkie.WebWalkie.Tests.Support;

// dotnet run -c Release --project bench/WalkieTalkie.WebWalkie.Bench [-- --seconds 20] [--runs 2] [--rates 8000,16000] [--listen N]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

string Option(string name, string fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}

string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

var seconds = double.Parse(Option("--seconds", "20"));
var runs = int.Parse(Option("--runs", "2"));
var rates = Option("--rates", "8000,16000").Split(',').Select(int.Parse).ToArray();
var listen = args.Contains("--listen") ? Option("--listen", "2") : null;
if (!Speech.IsInstalled)
{
    Console.Error.WriteLine("error: espeak-ng is needed (scripts/deps/apt-packages)");
    return 1;
}

var folder = Directory.CreateTempSubdirectory("wt-webbench-").FullName;
try
{
    var speech = Speech.Say("The delivery for the north gate is here. Please send someone with the key to the loading bay, " +
                            "and tell the kitchen that lunch will be twenty minutes late today.", Path.Combine(folder, "speech.wav"));
    Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, load average {Load()} at start");
    Console.WriteLine($"client: {PublishedClient.Path}");
    await using var chromium = await Chromium.LaunchAsync(speech);
    Console.WriteLine($"browser: {chromium.Browser.Version}, headless; listening depth {(listen is null ? "the badge's (2 frames, latency trim)" : listen + " frames (?listen=)")}; one {seconds:0} s burst each way per run");
    var bench = new WebMouthToEar(chromium, speech, listen);
    var rows = new List<(int Run, string Load, WebMouthToEar.Direction Result)>();
    foreach (var rate in rates)
    {
        for (var run = 1; run <= runs; run++)
        {
            var load = Load();
            foreach (var direction in await bench.RunAsync(rate, seconds))
            {
                rows.Add((run, load, direction));
            }
        }
    }

    Console.WriteLine();
    Console.WriteLine("| direction | rate | run | blocks | first (ms) | p50 (ms) | p99 (ms) | max (ms) | mouth to speaker's queue p50 / p99 (ms) | not as received | load |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var (run, load, r) in rows.OrderBy(r => r.Result.Name).ThenBy(r => r.Result.Rate).ThenBy(r => r.Run))
    {
        var sorted = r.Latencies.Order().ToArray();
        var toSpeaker = r.ToSpeaker.Order().ToArray();
        Console.WriteLine($"| {r.Name} | {r.Rate} Hz | {run} | {sorted.Length} | {r.Latencies.FirstOrDefault(double.NaN):F0} | {Quantile(sorted, 0.5):F0} | {Quantile(sorted, 0.99):F0} | " +
                          $"{sorted.LastOrDefault(double.NaN):F0} | {Quantile(toSpeaker, 0.5):F0} / {Quantile(toSpeaker, 0.99):F0} | {r.NotAsReceived} | {load} |");
    }

    Console.WriteLine();
    Console.WriteLine("| rate | run | listening (s) | main thread busy | of it script | renderer process, all threads |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
    foreach (var (run, _, r) in rows.Where(r => r.Result.Cpu is not null).OrderBy(r => r.Result.Rate).ThenBy(r => r.Run))
    {
        var cpu = r.Cpu!;
        Console.WriteLine($"| {r.Rate} Hz | {run} | {cpu.Seconds:F0} | {cpu.MainThreadPercent:F1} % | {cpu.ScriptPercent:F1} % | {cpu.RendererPercent:F1} % of a core |");
    }

    Console.WriteLine();
    Console.WriteLine("download size (scripts/webwalkie-size):");
    var size = Process.Start(new ProcessStartInfo(RepositoryFiles.PathOf("scripts/webwalkie-size"), PublishedClient.Path) { RedirectStandardOutput = true })!;
    Console.WriteLine((await size.StandardOutput.ReadToEndAsync()).TrimEnd().Split('\n')[^1]);
    await size.WaitForExitAsync();
    return 0;
}
finally
{
    Directory.Delete(folder, recursive: true);
}

// The nearest-rank quantile of sorted values, as the gateway bench's mouth mode reads them.
static double Quantile(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
