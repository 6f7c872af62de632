using BenchmarkDotNet.Running;
using WalkieTalkie.Benchmarks.AdpcmComparison;

namespace WalkieTalkie.Benchmarks;

/// <summary>
/// Runs the benchmarks the command line selects, e.g. <c>-- --filter '*Codec*'</c>, or with <c>-- adpcm-vs-ffmpeg</c>
/// the side-by-side comparison of our IMA ADPCM encoder with ffmpeg's (<see cref="AdpcmVersusFfmpeg"/>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == AdpcmVersusFfmpeg.Command)
        {
            return AdpcmVersusFfmpeg.Run(args);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
