using System.Diagnostics;

namespace WalkieTalkie.EndToEnd.Tests.Support;

/// <summary>
/// The real <c>walkie</c> admin commands (<c>dotnet exec walkie.dll</c>, the build copied next to the tests) on one data
/// folder, with the Matrix settings an owner puts in the environment (<c>WALKIE_Matrix__Homeserver</c>,
/// <c>WALKIE_Matrix__StoreKeyFile</c>), as the README's steps run them.
/// </summary>
public sealed class WalkieCli(string dataDirectory, Uri homeserver, string storeKeyFile, ITestOutputHelper output)
{
    /// <summary>What a command printed and how it exited.</summary>
    public sealed record Result(int ExitCode, string Output)
    {
        public override string ToString() => $"exit {ExitCode}: {Output}";
    }

    /// <summary>Runs <c>walkie --data {dataDirectory} {arguments}</c> to its end (at most a minute).</summary>
    public async Task<Result> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dataDirectory,
        };
        foreach (var argument in new[] { "exec", Path.Combine(AppContext.BaseDirectory, "walkie.dll"), "--data", dataDirectory }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["WALKIE_Matrix__Homeserver"] = homeserver.ToString();
        start.Environment["WALKIE_Matrix__StoreKeyFile"] = storeKeyFile;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"walkie {string.Join(' ', arguments)} did not finish in a minute");
        }

        var result = new Result(process.ExitCode, await stdout + await stderr);
        output.WriteLine($"$ walkie {string.Join(' ', arguments)}\n{result.Output.TrimEnd()}\n(exit {result.ExitCode})");
        return result;
    }
}
