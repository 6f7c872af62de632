using System.Diagnostics;

namespace WalkieTalkie.TestHomeserver.Tests;

/// <summary>Runs the Debian tools the tests use as independent peers (sox, opusenc, opusinfo), bounded in time.</summary>
internal static class Tools
{
    public static async Task<string> RunAsync(string tool, CancellationToken ct, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {tool}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} exited {process.ExitCode}: {await stderr}");
        }

        return await stdout + await stderr;
    }

    /// <summary>A mono Ogg Opus file made by sox and opusenc: a tone of <paramref name="seconds"/> that fades out, so
    /// its waveform falls.</summary>
    public static async Task<string> MakeOggOpusAsync(string folder, double seconds, CancellationToken ct)
    {
        var wav = Path.Combine(folder, "voice.wav");
        var ogg = Path.Combine(folder, "voice.ogg");
        var length = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await RunAsync("sox", ct, "-n", "-r", "48000", "-b", "16", "-c", "1", wav, "synth", length, "sine", "440", "fade", "t", "0", length, length, "vol", "0.8");
        await RunAsync("opusenc", ct, "--quiet", "--bitrate", "24", wav, ogg);
        return ogg;
    }
}
