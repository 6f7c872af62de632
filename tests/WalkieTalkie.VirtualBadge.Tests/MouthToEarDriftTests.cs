using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Simulation.Audio;
using WalkieTalkie.Badge.Simulation.Tests.Support;
using Xunit.Abstractions;

namespace WalkieTalkie.Badge.Simulation.Tests;

/// <summary>
/// Mouth to ear across one long burst with the badge's own defaults (two frames of prefill, 80 ms of speaker queue):
/// a talker and two listeners on loopback (Mosquitto and a relay), every block's latency read from the talker's
/// microphone to the listener's speaker. On a steady network the latency at the end of the burst is the latency at
/// its start: an underrun or a stall may add to it for a while, but the listener takes it back.
/// </summary>
[Collection(AloneCollection.Name)]
public class MouthToEarDriftTests(ITestOutputHelper output)
{
    private const double BurstSeconds = 30;

    // The start is the lowest latency of the burst's first two seconds (what the jitter buffer gives before anything
    // went wrong: a ratchet in those seconds must not raise the bar); the end is the median of its last two seconds,
    // so one late frame or one stall of this shared machine at the very end does not decide the verdict.
    private const double EdgeSeconds = 2;

    private static readonly string[] Listeners = ["ear-a", "ear-b"];

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    public async Task Latency_at_the_end_of_a_long_burst_is_within_one_block_of_its_start(int rate)
    {
        Assert.True(Mosquitto.IsInstalled, "mosquitto is needed (scripts/deps/apt-packages)");
        Assert.True(Speech.IsInstalled, "espeak-ng is needed (scripts/deps/apt-packages)");
        var folder = Directory.CreateTempSubdirectory("wt-drift-").FullName;
        try
        {
            var speech = LongSpeech(folder, BurstSeconds + 2);
            using var broker = Mosquitto.Start();
            await using var relay = await MiniRelay.StartAsync(broker.Port, ["talk", .. Listeners]);
            relay.MaxTalkSeconds = 60;
            await using var fleet = new VirtualBadgeFleet();
            var talker = fleet.Add(new VirtualBadgeSettings
            {
                Id = "talk", Port = broker.Port, Password = "s0", MicWav = speech, Channels = [new VirtualChannel(1, rate)],
            });
            foreach (var id in Listeners)
            {
                fleet.Add(new VirtualBadgeSettings { Id = id, Port = broker.Port, Password = "s-" + id, Channels = [new VirtualChannel(1, rate)] });
            }

            fleet.Start();
            Assert.True(await fleet.WaitUntilAsync(f => f.Badges.All(b => b.Mode == BadgeMode.Idle), TimeSpan.FromSeconds(10)), "the badges did not connect");
            talker.SetTalk(true);
            Assert.True(await fleet.WaitUntilAsync(_ => talker.Mode == BadgeMode.Talking, TimeSpan.FromSeconds(10)), "the floor was not granted");
            await Task.Delay(TimeSpan.FromSeconds(BurstSeconds));
            talker.SetTalk(false);
            var done = await fleet.WaitUntilAsync(
                f => f.Badges.Skip(1).All(b => b.Mode == BadgeMode.Idle && b.Bursts.Any(burst => burst.Complete)), TimeSpan.FromSeconds(15));
            var summary = await fleet.StopAsync();
            Assert.True(done, "a listener never finished playing the burst");

            var sent = summary["talk"].FramesSent;
            var blockMs = 321 * 1000.0 / rate;
            foreach (var id in Listeners)
            {
                var burst = Assert.Single(summary[id].Bursts);
                var latencies = burst.Blocks.Where(b => b.LatencyMs is not null)
                    .Select(b => b.LatencyMs!.Value).ToArray();
                var edge = (int)(EdgeSeconds * 1000 / blockMs);
                var start = latencies.Take(edge).Min();
                var end = Median(latencies.TakeLast(edge));
                output.WriteLine($"{rate} Hz {id}: sent {sent}, received {burst.FramesReceived}, lost {burst.FramesLost}, concealed {burst.BlocksConcealed}, " +
                    $"underruns {burst.Underruns}; latency first {latencies.FirstOrDefault():0} start {start:0} " +
                    $"end {end:0} max {latencies.DefaultIfEmpty().Max():0} ms");

                Assert.True(burst.FramesReceived >= sent - 1, $"{id} received {burst.FramesReceived} of {sent} frames: the network was not steady");
                Assert.True(latencies.Length >= BurstSeconds * 1000 / blockMs * 0.9, $"{id} scored only {latencies.Length} blocks");
                Assert.True(end <= start + blockMs,
                    $"{id}: mouth to ear grew from {start:0} ms at the start to {end:0} ms at the end, more than one block ({blockMs:0} ms)");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    // espeak-ng's sentence repeated to fill the burst: the microphone must not run out of speech before the button is let go.
    private static string LongSpeech(string folder, double seconds)
    {
        var clip = PcmClip.Load(Speech.Say("The delivery for the north gate is here. Please send someone with the key to the loading bay.",
            Path.Combine(folder, "spoken.wav")));
        var samples = new short[(int)(seconds * clip.SampleRate)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = clip.Samples[i % clip.Samples.Length];
        }

        var path = Path.Combine(folder, "speech.wav");
        new PcmClip(samples, clip.SampleRate).Save(path);
        return path;
    }
}
