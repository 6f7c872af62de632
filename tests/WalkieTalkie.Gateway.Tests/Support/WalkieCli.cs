using System.Diagnostics;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>The real <c>walkie</c> admin command (<c>dotnet exec walkie.dll</c>, copied next to the tests), run to its end.</summary>
public static class WalkieCli
{
    /// <summary>Runs <c>walkie</c> with <paramref name="args"/>; returns its exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "exec", Path.Combine(AppContext.BaseDirectory, "walkie.dll") }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }
}
