using BenchmarkDotNet.Running;

namespace WalkieTalkie.Benchmarks;

/// <summary>Runs the benchmarks the command line selects, e.g. <c>-- --filter '*Codec*'</c>.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
