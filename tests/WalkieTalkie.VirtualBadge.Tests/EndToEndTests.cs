using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Simulation.Audio;
using WalkieTalkie.Badge.Simulation.Tests.Support;
using Xunit.Abstractions;

namespace WalkieTalkie.Badge.Simulation.Tests;

/// <summary>
/// Two virtual badges, a real Mosquitto and a minimal relay standing in for the gateway: what one badge's microphone
/// hears comes out of the other's speaker.
/// </summary>
public class EndToEndTests(ITestOutputHelper output)
{
    /// <summary>
    /// Measured here: 0.994 at 8 kHz and 0.999 at 16 kHz in every run without an underrun (IMA ADPCM both ways,
    /// espeak-ng's 22.05 kHz speech resampled to the channel rate, on a machine at a load average of 30 to 57), while
    /// other speech searched the same way scores 0.08. One underrun early in the burst (a 600 ms stall) scored 0.89;
    /// one in the middle about 0.5: the floor admits a concealed block or two, not a burst out of time.
    /// </summary>
    private const double CorrelationFloor = 0.9;

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    public async Task Speech_into_one_badge_is_heard_in_the_other_badges_output(int rate)
    {
        Assert.True(Mosquitto.IsInstalled, "mosquitto is needed (scripts/deps/apt-packages)");
        Assert.True(Speech.IsInstalled, "espeak-ng is needed (scripts/deps/apt-packages)");
        var folder = Directory.CreateTempSubdirectory("wt-e2e-").FullName;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var spoken = Speech.Say("Hello from the playground. Please come and pick me up at four.", Path.Combine(folder, "spoken.wav"));
            var speech = PcmClip.Load(spoken);
            using var broker = Mosquitto.Start();
            await using var relay = await MiniRelay.StartAsync(broker.Port, "kid-1", "mum");
            await using var fleet = new VirtualBadgeFleet { Log = (_, line) => output.WriteLine(line) };
            fleet.Add(new VirtualBadgeSettings
            {
                Id = "kid-1", Port = broker.Port, Password = "s1", MicWav = spoken, Channels = [new VirtualChannel(1, rate)],
            });
            var heard = Path.Combine(folder, "mum.wav");
            // Deeper buffers than the badge's defaults (2 frames, 80 ms of speaker queue): the machine running the test may
            // be shared with builds (stalls of 600 ms were seen at a load average near 40 on 2 cores), and audio held up
            // for longer than a buffer shifts the rest of the burst in time, which a plain cross-correlation punishes:
            // 1 s of prefill, 200 ms of speaker queue.
            var listener = VirtualBadgeSettings.DefaultTunables();
            listener.JitterSlots = 32;
            listener.JitterPrefill = rate / (2 * 321) + 1;
            // And an inbox for 2.5 s of frames, not 16 messages: a 1.4 s stall under a full CI run overflowed it (5 frames lost).
            listener.InboxSlots = 64;
            // And no latency trim: it plays blocks shorter to take back latency a stall added, which moves the rest of the
            // burst in time just as the stall did, and a single-lag correlation cannot follow either (0.43-0.48 at 16 kHz).
            listener.LatencyTrimWindowMilliseconds = 0;
            fleet.Add(new VirtualBadgeSettings { Id = "mum", Port = broker.Port, Password = "s2", OutputWav = heard, Tunables = listener, SpeakerQueueMilliseconds = 200,
                Channels = [new VirtualChannel(1, rate)] });

            fleet.Start();
            var kidBadge = fleet.Badges[0];
            Assert.True(await fleet.WaitUntilAsync(f => f.Badges.All(b => b.Mode == BadgeMode.Idle), TimeSpan.FromSeconds(10)), "the badges did not connect");
            // Push-to-talk by hand rather than by a timed script, so a slow machine cannot cut the speech short.
            kidBadge.SetTalk(true);
            Assert.True(await fleet.WaitUntilAsync(_ => kidBadge.Mode == BadgeMode.Talking, TimeSpan.FromSeconds(10)), "the floor was not granted");
            var talkingFrom = fleet.Clock.PreciseMilliseconds / 1000.0;
            await Task.Delay(TimeSpan.FromSeconds(speech.Seconds + 0.3));
            kidBadge.SetTalk(false);
            var done = await fleet.WaitUntilAsync(
                f => f.Badges[1].Bursts.Any(b => b.Complete) && f.Badges[1].Mode == BadgeMode.Idle,
                TimeSpan.FromSeconds(10));
            var summary = await fleet.StopAsync();
            foreach (var line in relay.Log)
            {
                output.WriteLine($"relay: {line}");
            }

            Assert.True(done, "mum's badge never finished playing the burst");
            var kid = summary["kid-1"];
            var mum = summary["mum"];
            var burst = Assert.Single(mum.Bursts);
            output.WriteLine($"sent {kid.FramesSent}, received {burst.FramesReceived}, lost {burst.FramesLost}, concealed {burst.BlocksConcealed}, " +
                $"latency first {burst.FirstLatencyMs:0.0} mean {burst.MeanLatencyMs:0.0} max {burst.MaxLatencyMs:0.0} ms");
            Assert.Equal(1, kid.BurstsTalked);
            Assert.Equal(kid.FramesSent, burst.FramesReceived + burst.FramesLost);
            Assert.True(burst.FramesReceived >= kid.FramesSent - 1, "loopback loses at most a frame");
            Assert.NotNull(burst.MeanLatencyMs);
            Assert.InRange(burst.FirstLatencyMs!.Value, 0, 2_500);

            var input = speech.At(rate).Samples;
            var received = PcmClip.Load(heard);
            Assert.Equal(rate, received.SampleRate);
            // Searched from just before the grant to 2.5 s after it: the way through broker, relay and jitter buffer.
            var (peak, lag) = Correlation.Best(input, received.Samples, (int)((talkingFrom - 0.1) * rate), (int)((talkingFrom + 2.5) * rate), coarseStep: rate / 4000);
            output.WriteLine($"normalised cross-correlation {peak:0.000} at {lag * 1000.0 / rate:0} ms into mum's output; talking from {talkingFrom:0.000} s");
            Assert.True(peak >= CorrelationFloor, $"correlation {peak:0.000} is below {CorrelationFloor}");

            // The control: other speech, searched the same way, must not pass (so the measure can fail).
            var other = PcmClip.Load(Speech.Say("The quick brown fox jumps over the lazy dog twice.", Path.Combine(folder, "other.wav"))).At(rate).Samples;
            var (otherPeak, _) = Correlation.Best(other, received.Samples, (int)((talkingFrom - 0.1) * rate), (int)((talkingFrom + 2.5) * rate), coarseStep: rate / 4000);
            output.WriteLine($"control: other speech correlates {otherPeak:0.000}");
            Assert.True(otherPeak < CorrelationFloor / 2, $"unrelated speech correlates {otherPeak:0.000}");
            output.WriteLine($"the test took {clock.Elapsed.TotalSeconds:0.0} s");
            Directory.Delete(folder, recursive: true);
        }
        catch
        {
            output.WriteLine($"the WAV files are kept in {folder}");
            throw;
        }
    }
}
