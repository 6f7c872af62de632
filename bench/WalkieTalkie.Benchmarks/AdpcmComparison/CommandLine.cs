using System.Diagnostics;

namespace WalkieTalkie.Benchmarks.AdpcmComparison;

/// <summary>Runs a command-line tool (espeak-ng, sox, opusenc, ffmpeg) to completion and returns what it wrote (standard output, then standard error).</summary>
internal static class CommandLine
{
    public static string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error.Result}");
        }

        return output.Result + error.Result;
    }
}
