using System.Diagnostics;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>Runs sox (an independent WAV reader) on a file: how many samples it decodes and at what rate.</summary>
public static class Sox
{
    public static (int SampleRate, long Samples) Decode(string wav)
    {
        var raw = Path.ChangeExtension(wav, ".raw");
        Run("sox", wav, "-t", "raw", "-e", "signed-integer", "-b", "16", raw);
        var samples = new FileInfo(raw).Length / 2;
        File.Delete(raw);
        var rate = int.Parse(Run("soxi", "-r", wav).Trim());
        return (rate, samples);
    }

    private static string Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {error}");
        }

        return output;
    }
}
