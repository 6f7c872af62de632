using System.Diagnostics;

namespace WalkieTalkie.Media.Tests.Support;

/// <summary>Runs the command-line tools that serve as oracles (opus-tools, ffmpeg, sox, espeak-ng), bounded in time.</summary>
internal static class ExternalTool
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string All => Output + Error;
    }

    public static Result Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', arguments)} took more than 60 s.");
        }

        return new Result(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Runs the tool and fails the test with its output when it does not exit with 0.</summary>
    public static Result Check(string tool, params string[] arguments)
    {
        var result = Run(tool, arguments);
        Assert.True(result.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} exited with {result.ExitCode}:\n{result.All}");
        return result;
    }
}
