using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Benchmarks.AdpcmComparison;

/// <summary>
/// The gateway's IMA ADPCM encoder side by side with ffmpeg's trellis encoder (adpcm_ima_wav) on the same clips:
/// SNR through one decoder (ours, which equals sox's), each encoder in its own block layout and in the same one,
/// and encode speed as times real time on one core. Prints markdown tables (docs/benchmarks.md).
/// <c>dotnet run -c Release --project bench/WalkieTalkie.Benchmarks -- adpcm-vs-ffmpeg [--clips speech,opus]
/// [--rates 8000,16000] [--trellis 8,12,16] [--block-bytes 1024,256,128] [--repeat 3]</c>
/// </summary>
internal static class AdpcmVersusFfmpeg
{
    public const string Command = "adpcm-vs-ffmpeg";

    private sealed record Ours(double Decibels, double CpuSeconds, double WallSeconds);

    public static int Run(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        string[] clips = Option(args, "--clips", "speech,opus,tones,noise,loud,speechlike").Split(',');
        int[] rates = Numbers(Option(args, "--rates", "8000,16000"));
        int[] trellises = Numbers(Option(args, "--trellis", "8,12,16"));
        int[] blockSizes = Numbers(Option(args, "--block-bytes", "1024,256,128"));
        int repeat = int.Parse(Option(args, "--repeat", "3"));

        string folder = Directory.CreateTempSubdirectory("adpcm-vs-ffmpeg-").FullName;
        try
        {
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, " +
                              $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at start; {CommandLine.Run("ffmpeg", "-version").Split('\n')[0]}");
            var snr = new List<string>();
            var layout = new List<string>();
            var speed = new List<string>();
            foreach (var clip in ComparisonClip.Make(folder, clips, rates))
            {
                double greedy = GreedyDecibels(clip);
                var ours = Measure(clip, ImaAdpcm.DefaultSamplesPerBlock, repeat);
                var ffmpeg = new List<FfmpegImaAdpcm.Result>();
                foreach (var blockBytes in blockSizes)
                {
                    foreach (var trellis in trellises)
                    {
                        ffmpeg.Add(FfmpegImaAdpcm.Encode(clip, trellis, blockBytes, folder));
                    }
                }

                var best = ffmpeg.MaxBy(r => r.Decibels)!;
                string Default(int trellis) => ffmpeg.FirstOrDefault(r => r.Trellis == trellis && r.BlockBytes == blockSizes[0]) is { } r ? $"{r.Decibels:F2}" : "-";
                snr.Add($"| {clip.Name} | {clip.Rate} | {clip.Seconds:F1} | {greedy:F2} | **{ours.Decibels:F2}** | {Default(8)} | {Default(16)} | " +
                        $"{best.Decibels:F2} (trellis {best.Trellis}, {best.BlockBytes} B) | {ours.Decibels - best.Decibels:+0.00;-0.00} |");

                foreach (var blockBytes in blockSizes)
                {
                    int samples = ImaAdpcm.SamplesPerBlockFor(blockBytes);
                    var same = Measure(clip, samples, 1);
                    var theirs = ffmpeg.Where(r => r.BlockBytes == blockBytes).MaxBy(r => r.Decibels)!;
                    layout.Add($"| {clip.Name} | {clip.Rate} | {blockBytes} ({samples}) | **{same.Decibels:F2}** | {theirs.Decibels:F2} (trellis {theirs.Trellis}) | {same.Decibels - theirs.Decibels:+0.00;-0.00} |");
                }

                string Times(int trellis) => ffmpeg.FirstOrDefault(r => r.Trellis == trellis && r.BlockBytes == blockSizes[0]) is { } r
                    ? $"{clip.Seconds / r.CpuSeconds:F1} / {clip.Seconds / r.WallSeconds:F1}" : "-";
                speed.Add($"| {clip.Name} | {clip.Rate} | **{clip.Seconds / ours.CpuSeconds:F1}** / {clip.Seconds / ours.WallSeconds:F1} | {Times(8)} | {Times(16)} |");
            }

            Console.WriteLine();
            Console.WriteLine("SNR in dB, every encode decoded by our decoder (= sox's); each encoder in its own block layout");
            Console.WriteLine($"(ours: {ImaAdpcm.DefaultSamplesPerBlock}-sample blocks; ffmpeg: {blockSizes[0]}-byte blocks in the trellis 8 and 16 columns; best over trellis {string.Join('/', trellises)} x blocks of {string.Join('/', blockSizes)} bytes):");
            Console.WriteLine();
            Console.WriteLine("| clip | rate | s | badge (greedy) | gateway (ours) | ffmpeg trellis 8 | ffmpeg trellis 16 | ffmpeg best | ours - ffmpeg best |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|---:|");
            snr.ForEach(Console.WriteLine);
            Console.WriteLine();
            Console.WriteLine("Same block layout: ours encoding ffmpeg's block size (ffmpeg takes only powers of two, so not our 164 bytes), SNR in dB:");
            Console.WriteLine();
            Console.WriteLine("| clip | rate | block bytes (samples) | ours | ffmpeg best at that size | ours - ffmpeg |");
            Console.WriteLine("|---|---:|---|---:|---:|---:|");
            layout.ForEach(Console.WriteLine);
            Console.WriteLine();
            Console.WriteLine($"Encode speed, times real time on one core, CPU time / wall time (ours: best of {repeat}; ffmpeg: its -benchmark utime+stime / rtime, {blockSizes[0]}-byte blocks, process start included):");
            Console.WriteLine();
            Console.WriteLine("| clip | rate | gateway (ours) | ffmpeg trellis 8 | ffmpeg trellis 16 |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            speed.ForEach(Console.WriteLine);
            Console.WriteLine();
            Console.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Our trellis encoder on the whole clip: SNR, and the best CPU and wall time of <paramref name="repeat"/> encodes after a warm-up.</summary>
    private static Ours Measure(ComparisonClip clip, int samplesPerBlock, int repeat)
    {
        var encoder = new ImaAdpcmTrellisEncoder(samplesPerBlock, ImaAdpcmTrellisEncoder.DefaultPathsPerStepIndex, ImaAdpcmTrellisEncoder.DefaultCorridor);
        short[] padded = ClipCodec.Padded(clip.Samples, samplesPerBlock);
        int blocks = padded.Length / samplesPerBlock;
        int blockBytes = ImaAdpcm.BlockBytesFor(samplesPerBlock);
        var data = new byte[blocks * blockBytes];
        ClipCodec.Encode(padded, samplesPerBlock, encoder.EncodeBlock, data);

        double cpu = double.MaxValue;
        double wall = double.MaxValue;
        var process = Process.GetCurrentProcess();
        for (int i = 0; i < repeat; i++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            ClipCodec.Encode(padded, samplesPerBlock, encoder.EncodeBlock, data);
            wall = Math.Min(wall, clock.Elapsed.TotalSeconds);
            process.Refresh();
            cpu = Math.Min(cpu, (process.TotalProcessorTime - cpuBefore).TotalSeconds);
        }

        return new Ours(ClipCodec.SignalToNoise(clip.Samples, ClipCodec.Decode(data, 0, blocks, blockBytes, clip.Samples.Length)), cpu, wall);
    }

    /// <summary>The badge's greedy encoder (step index carried from block to block, as on the badge).</summary>
    private static double GreedyDecibels(ComparisonClip clip)
    {
        int samplesPerBlock = ImaAdpcm.DefaultSamplesPerBlock;
        short[] padded = ClipCodec.Padded(clip.Samples, samplesPerBlock);
        int blocks = padded.Length / samplesPerBlock;
        var data = new byte[blocks * ImaAdpcm.DefaultBlockBytes];
        ClipCodec.Encode(padded, samplesPerBlock, new ImaAdpcmEncoder().EncodeBlock, data);
        return ClipCodec.SignalToNoise(clip.Samples, ClipCodec.Decode(data, 0, blocks, ImaAdpcm.DefaultBlockBytes, clip.Samples.Length));
    }

    private static string Option(string[] args, string name, string fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }

    private static int[] Numbers(string list) => list.Split(',').Select(int.Parse).ToArray();
}
