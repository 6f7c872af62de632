using System.Diagnostics;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>The built <c>walkie.dll</c> run as a process on a data folder: exit code and what it printed.</summary>
public static class WalkieCli
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}";
    }

    public static async Task<Result> RunAsync(string dataDirectory, params string[] args) => await RunWithUmaskAsync(dataDirectory, null, args);

    /// <summary>Runs the command; with <paramref name="umask"/> (octal, e.g. "000") it runs under that umask.</summary>
    public static async Task<Result> RunWithUmaskAsync(string dataDirectory, string? umask, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "walkie.dll");
        var info = new ProcessStartInfo(umask is null ? "dotnet" : "/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (umask is not null)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add($"umask {umask} && exec dotnet \"$@\"");
            info.ArgumentList.Add("sh");
        }

        foreach (var arg in new[] { "exec", dll, "--data", dataDirectory }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }
}
