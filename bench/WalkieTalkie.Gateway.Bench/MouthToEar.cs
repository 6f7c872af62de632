using System.Diagnostics;
using WalkieTalkie.Badge.Audio;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Simulation;
using WalkieTalkie.Badge.Simulation.Audio;

namespace WalkieTalkie.Gateway.Bench;

/// <summary>
/// Mouth to ear with the real badge code: an embedded gateway, a virtual badge talking one long burst of speech and
/// two virtual badges listening (jitter buffer, decoder and speaker clock included), all in this process on loopback.
/// Each listener's latency is read per block from the talker's microphone to its own speaker.
/// </summary>
public static class MouthToEar
{
    private static readonly string[] Listeners = ["ear-a", "ear-b"];

    public sealed record Result(string Listener, int Rate, double FirstMs, double P50Ms, double P99Ms, double MaxMs, double EndMs,
        int Played, int Concealed, int Silent, int Underruns, int Shortened, int Lost, IReadOnlyList<HeardBlock> Blocks);

    /// <summary>
    /// One burst of <paramref name="seconds"/> at <paramref name="rate"/>, listeners with the badge's defaults but for
    /// the latency trim window; a row per listener.
    /// </summary>
    public static async Task<IReadOnlyList<Result>> RunAsync(int rate, double seconds, string speechWav, int trimWindowMilliseconds, int blocksPerFrame)
    {
        await using var gateway = await BenchGateway.StartAsync(["talk", .. Listeners], rate, 1 + Listeners.Length, blocksPerFrame: blocksPerFrame);
        await using var fleet = new VirtualBadgeFleet();
        return await TalkAndListenAsync(fleet, gateway, Listeners.Select(id => (id, gateway)).ToList(), rate, seconds, speechWav, trimWindowMilliseconds);
    }

    /// <summary>
    /// Badge "talk" of <paramref name="talkerSite"/> talks one burst of speech while each listener (its id and the gateway
    /// it is a badge of) hears it with the badge's defaults but for the latency trim window; a result per listener.
    /// </summary>
    internal static async Task<IReadOnlyList<Result>> TalkAndListenAsync(VirtualBadgeFleet fleet, BenchGateway talkerSite,
        IReadOnlyList<(string Id, BenchGateway Site)> listeners, int rate, double seconds, string speechWav, int trimWindowMilliseconds)
    {
        var talker = fleet.Add(new VirtualBadgeSettings
        {
            Id = "talk", Port = talkerSite.Port, Password = talkerSite.Secrets["talk"], MicWav = speechWav, Channels = [new VirtualChannel(1, rate)],
        });
        foreach (var (id, site) in listeners)
        {
            var tunables = VirtualBadgeSettings.DefaultTunables();
            tunables.LatencyTrimWindowMilliseconds = trimWindowMilliseconds;
            fleet.Add(new VirtualBadgeSettings
            {
                Id = id, Port = site.Port, Password = site.Secrets[id], Tunables = tunables, Channels = [new VirtualChannel(1, rate)],
            });
        }

        fleet.Start();
        await OneBurst.TalkAsync(fleet, talker, seconds);
        await fleet.WaitUntilAsync(f => f.Badges.Skip(1).All(b => b.Mode == BadgeMode.Idle && b.Bursts.Count > 0), TimeSpan.FromSeconds(15));
        var summary = await fleet.StopAsync();
        return listeners.Select(l => Score(l.Id, rate, summary[l.Id].Bursts.Single())).ToList();
    }

    /// <summary>Speech for the talker's microphone: espeak-ng reading a text, repeated to fill the burst (a tone without espeak-ng).</summary>
    public static string MakeSpeech(string folder, double seconds)
    {
        var path = Path.Combine(folder, "speech.wav");
        var spoken = Path.Combine(folder, "spoken.wav");
        const string text = "The delivery for the north gate is here. Please send someone with the key to the loading bay, " +
            "and tell the kitchen that lunch will be twenty minutes late today. Thank you, and watch out for the forklift.";
        short[] clip;
        try
        {
            var start = new ProcessStartInfo("espeak-ng") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in new[] { "-v", "en", "-s", "150", "-w", spoken, text })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            process.WaitForExit(30_000);
            clip = PcmClip.Load(spoken).At(16000).Samples;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            clip = Enumerable.Range(0, 16000).Select(i => (short)(6000 * Math.Sin(2 * Math.PI * 440 * i / 16000))).ToArray();
        }

        var samples = new short[(int)((seconds + 2) * 16000)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = clip[i % clip.Length];
        }

        new PcmClip(samples, 16000).Save(path);
        return path;
    }

    private static Result Score(string id, int rate, BurstReport burst)
    {
        var latencies = burst.Blocks.Where(b => b.LatencyMs is not null).Select(b => b.LatencyMs!.Value).ToArray();
        var sorted = latencies.Order().ToArray();
        double At(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        // The latency at the end: the median of the last two seconds' blocks.
        var blockMs = 321 * 1000.0 / rate;
        var end = latencies.TakeLast((int)(2000 / blockMs)).Order().ToArray();
        return new Result(id, rate, latencies.FirstOrDefault(double.NaN), At(0.5), At(0.99), sorted.LastOrDefault(double.NaN),
            end.Length == 0 ? double.NaN : end[end.Length / 2], burst.BlocksPlayed, burst.BlocksConcealed, burst.BlocksSilent, burst.Underruns, burst.BlocksShortened,
            burst.FramesLost, burst.Blocks);
    }
}
