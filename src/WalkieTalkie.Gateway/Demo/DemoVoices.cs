using System.Diagnostics;
using WalkieTalkie.Badge.Simulation.Audio;

namespace WalkieTalkie.Gateway.Demo;

/// <summary>
/// The demo badges' microphones: each badge's lines spoken by espeak-ng (one voice per badge) into one WAV, or, when
/// espeak-ng is not installed, a tone per line (a different pitch per badge) so the demo still runs.
/// </summary>
public static class DemoVoices
{
    private static readonly string[] Voices = ["en+f3", "en+m3", "en+f4", "en+m7"];

    /// <summary>Writes <c>{folder}/{badge}-mic.wav</c> for each badge; returns the path and each line's length in seconds.</summary>
    public static Dictionary<string, (string Path, List<double> Seconds)> Make(IReadOnlyList<DemoLine> lines, IReadOnlyList<string> badges, string folder)
    {
        var result = new Dictionary<string, (string, List<double>)>();
        for (var b = 0; b < badges.Count; b++)
        {
            var badge = badges[b];
            var clips = new List<short[]>();
            var seconds = new List<double>();
            var pause = new short[8000 / 2];
            foreach (var line in lines.Where(l => l.BadgeId == badge))
            {
                var clip = Speak(line.Text, Voices[b % Voices.Length], folder) ?? Tone(440 + 110 * b, 1.5);
                clips.Add(clip);
                clips.Add(pause);
                seconds.Add(clip.Length / 8000.0);
            }

            var path = Path.Combine(folder, $"{badge}-mic.wav");
            new PcmClip(clips.SelectMany(c => c).ToArray(), 8000).Save(path);
            result[badge] = (path, seconds);
        }

        return result;
    }

    private static short[]? Speak(string text, string voice, string folder)
    {
        var file = Path.Combine(folder, $"say-{Guid.NewGuid():N}.wav");
        try
        {
            var info = new ProcessStartInfo("espeak-ng") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in new[] { "-v", voice, "-s", "150", "-w", file, text })
            {
                info.ArgumentList.Add(arg);
            }

            using var process = Process.Start(info)!;
            process.WaitForExit(20000);
            return process.ExitCode == 0 && File.Exists(file) ? PcmClip.Load(file).At(8000).Samples : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not installed
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static short[] Tone(double hertz, double seconds)
    {
        var samples = new short[(int)(8000 * seconds)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)(8000 * Math.Sin(2 * Math.PI * hertz * i / 8000));
        }

        return samples;
    }
}
