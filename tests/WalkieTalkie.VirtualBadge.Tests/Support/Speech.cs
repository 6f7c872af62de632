using System.Diagnostics;

namespace WalkieTalkie.Badge.Simulation.Tests.Support;

/// <summary>Real speech for the tests, spoken by espeak-ng into a WAV file.</summary>
public static class Speech
{
    public static bool IsInstalled => File.Exists("/usr/bin/espeak-ng");

    public static string Say(string text, string path)
    {
        var start = new ProcessStartInfo("espeak-ng") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { "-v", "en", "-s", "150", "-w", path, text })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        if (!process.WaitForExit(20_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"espeak-ng failed: {process.StandardError.ReadToEnd()}");
        }

        return path;
    }
}
