using System.Diagnostics;

namespace WalkieTalkie.Build.Tests.Install;

/// <summary>A command run to its end, as an owner would run it in a shell.</summary>
internal sealed record ProcessRun(int ExitCode, string Output, string Errors)
{
    public override string ToString() => $"exit {ExitCode}\n{Output}\n{Errors}";

    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/> in <paramref name="directory"/>.</summary>
    /// <exception cref="TimeoutException">It did not end within <paramref name="limit"/> (it is killed).</exception>
    public static async Task<ProcessRun> RunAsync(string program, string directory, TimeSpan limit, IReadOnlyDictionary<string, string>? environment,
        params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not end within {limit}");
        }

        return new ProcessRun(process.ExitCode, await output, await errors);
    }
}
