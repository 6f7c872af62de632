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
/// <remarks>
/// This machine is shared: the test process itself may stop for hundreds of milliseconds, talker, relay and listeners
/// together. A <see cref="StallWatch"/> notes every stall longer than a block; it is reported, and the blocks that
/// sound while it lasts and until the listener should have taken it back (<see cref="Stall.SettledAt"/>) are not "a
/// steady network". The burst goes on past its 30 s until its last seconds are steady again, and after every stall the
/// latency must be back at the start's. With <c>DRIFT_TRACE</c> naming a folder, each listener's per-block timeline is
/// written there as CSV (<see cref="BlockTimeline"/>).
/// </remarks>
[Collection(AloneCollection.Name)]
[Trait("Category", "Timing")]
public class MouthToEarDriftTests(ITestOutputHelper output)
{
    private const double BurstSeconds = 30;

    // The relay lets a burst go on for 60 s: the burst may run this long to end on steady seconds after stalls.
    private const double LongestBurstSeconds = 50;

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
            // A gap of less than a block cannot move the end by more than a block; a longer one may, until taken back.
            var blockMs = 321 * 1000.0 / rate;
            using var watch = new StallWatch(fleet.Clock, blockMs);
            talker.SetTalk(true);
            Assert.True(await fleet.WaitUntilAsync(_ => talker.Mode == BadgeMode.Talking, TimeSpan.FromSeconds(10)), "the floor was not granted");
            var talkedAt = fleet.Clock.PreciseMilliseconds;
            await Task.Delay(TimeSpan.FromSeconds(BurstSeconds));
            while (fleet.Clock.PreciseMilliseconds - EdgeSeconds * 1000 < watch.SettledAt
                && fleet.Clock.PreciseMilliseconds - talkedAt < LongestBurstSeconds * 1000)
            {
                await Task.Delay(100);
            }

            talker.SetTalk(false);
            var done = await fleet.WaitUntilAsync(
                f => f.Badges.Skip(1).All(b => b.Mode == BadgeMode.Idle && b.Bursts.Any(burst => burst.Complete)), TimeSpan.FromSeconds(15));
            var summary = await fleet.StopAsync();
            Assert.True(done, "a listener never finished playing the burst");

            var stalls = watch.Stalls;
            output.WriteLine($"{rate} Hz: burst of {(fleet.Clock.PreciseMilliseconds - talkedAt) / 1000:0.0} s; the test process stalled {stalls.Count} times" +
                string.Concat(stalls.Select(stall => $", {stall.Milliseconds:0} ms at {(stall.FromMs - talkedAt) / 1000:0.0} s")));
            var sent = summary["talk"].FramesSent;
            var edge = (int)(EdgeSeconds * 1000 / blockMs);
            foreach (var id in Listeners)
            {
                var burst = Assert.Single(summary[id].Bursts);
                if (Environment.GetEnvironmentVariable("DRIFT_TRACE") is { Length: > 0 } traceFolder)
                {
                    Directory.CreateDirectory(traceFolder);
                    BlockTimeline.Write(burst.Blocks, Path.Combine(traceFolder, $"{rate}-{id}.csv"));
                }

                var scored = burst.Blocks.Where(b => b.LatencyMs is not null).ToArray();
                var latencies = scored.Select(b => b.LatencyMs!.Value).ToArray();
                var start = latencies.Take(edge).Min();
                var steady = scored.Where(b => !stalls.Any(stall => stall.Covers(b.SoundsAtMs))).ToArray();
                var endBlocks = steady.TakeLast(edge).ToArray();
                var end = Median(endBlocks.Select(b => b.LatencyMs!.Value));
                // Talker to listener through the broker and the relay: the network's share of mouth to ear.
                var startTransit = Median(scored.Take(edge).Select(Transit));
                var endTransit = Median(endBlocks.Select(Transit));
                output.WriteLine($"{rate} Hz {id}: sent {sent}, received {burst.FramesReceived}, lost {burst.FramesLost}, concealed {burst.BlocksConcealed}, " +
                    $"underruns {burst.Underruns}, shortened {burst.BlocksShortened}; latency first {latencies.FirstOrDefault():0} start {start:0} " +
                    $"end {end:0} max {latencies.DefaultIfEmpty().Max():0} ms; transit start {startTransit:0} end {endTransit:0} ms; " +
                    $"{scored.Length - steady.Length} blocks in stalls");

                Assert.True(burst.FramesReceived >= sent - 1, $"{id} received {burst.FramesReceived} of {sent} frames: the network was not steady");
                Assert.True(latencies.Length >= BurstSeconds * 1000 / blockMs * 0.9, $"{id} scored only {latencies.Length} blocks");
                Assert.True(endBlocks.Length == edge && endBlocks[0].SoundsAtMs - talkedAt >= (BurstSeconds - EdgeSeconds) * 1000,
                    $"{id}: the test process stalled until the burst's end, no steady end to judge ({stalls.Count} stalls)");
                Assert.True(endTransit <= startTransit + blockMs,
                    $"{id}: frames took {endTransit:0} ms from talker to listener at the end, {startTransit:0} ms at the start: the network was not steady");
                Assert.True(end <= start + blockMs,
                    $"{id}: mouth to ear grew from {start:0} ms at the start to {end:0} ms at the end, more than one block ({blockMs:0} ms)");
                foreach (var stall in stalls.Where(stall => stall.SettledAt < endBlocks[0].SoundsAtMs))
                {
                    var after = steady.Where(b => b.SoundsAtMs >= stall.SettledAt).Take(edge).Select(b => b.LatencyMs!.Value).ToArray();
                    Assert.True(after.Length == 0 || Median(after) <= start + blockMs,
                        $"{id}: {stall.SettledAt - stall.ToMs:0} ms after a stall of {stall.Milliseconds:0} ms (at {(stall.FromMs - talkedAt) / 1000:0.0} s), " +
                        $"mouth to ear was {Median(after):0} ms, not back at the start's {start:0} ms");
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double Transit(HeardBlock block) => (block.ArrivedAtMs ?? double.NaN) - (block.SentAtMs ?? double.NaN);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(value => !double.IsNaN(value)).Order().ToArray();
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
