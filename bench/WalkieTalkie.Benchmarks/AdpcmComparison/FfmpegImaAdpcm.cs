using System.Globalization;
using System.Text.RegularExpressions;

namespace WalkieTalkie.Benchmarks.AdpcmComparison;

/// <summary>ffmpeg's IMA ADPCM WAV encoder (adpcm_ima_wav) with a trellis, and how long it took by its own -benchmark report.</summary>
internal static partial class FfmpegImaAdpcm
{
    /// <summary>One encode: the SNR through our decoder and ffmpeg's CPU seconds (user + system) and wall seconds.</summary>
    public sealed record Result(int Trellis, int BlockBytes, double Decibels, double CpuSeconds, double WallSeconds);

    public static Result Encode(ComparisonClip clip, int trellis, int blockBytes, string folder)
    {
        string wav = Path.Combine(folder, $"ffmpeg-{clip.Name}-{clip.Rate}-t{trellis}-b{blockBytes}.wav");
        string report = CommandLine.Run("ffmpeg", "-nostdin", "-y", "-benchmark", "-f", "s16le", "-ar", clip.Rate.ToString(), "-ac", "1",
            "-i", clip.RawPath, "-c:a", "adpcm_ima_wav", "-trellis", trellis.ToString(), "-block_size", blockBytes.ToString(), wav);
        var times = Benchmark().Match(report);
        if (!times.Success)
        {
            throw new InvalidOperationException("ffmpeg printed no -benchmark line: " + report);
        }

        double Seconds(string name) => double.Parse(times.Groups[name].Value, CultureInfo.InvariantCulture);
        double decibels = ClipCodec.SignalToNoise(clip.Samples, ClipCodec.DecodeWav(File.ReadAllBytes(wav)));
        return new Result(trellis, blockBytes, decibels, Seconds("user") + Seconds("system"), Seconds("real"));
    }

    [GeneratedRegex(@"bench: utime=(?<user>[0-9.]+)s stime=(?<system>[0-9.]+)s rtime=(?<real>[0-9.]+)s")]
    private static partial Regex Benchmark();
}
