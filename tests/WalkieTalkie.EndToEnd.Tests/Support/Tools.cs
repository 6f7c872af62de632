using System.Diagnostics;

namespace WalkieTalkie.EndToEnd.Tests.Support;

/// <summary>Runs a command-line tool (opusinfo, opusdec) and returns its exit code and output.</summary>
public static class Tools
{
    public static (int ExitCode, string Output) Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            throw new TimeoutException($"{tool} did not finish in 30 s");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
