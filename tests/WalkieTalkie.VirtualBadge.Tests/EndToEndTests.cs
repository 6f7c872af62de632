using WalkieTalkie.Badge.Machine;
using WalkieTalkie.VirtualBadge.Audio;
using WalkieTalkie.VirtualBadge.Tests.Support;
using Xunit.Abstractions;

namespace WalkieTalkie.VirtualBadge.Tests;

/// <summary>
/// Two virtual badges, a real Mosquitto and a minimal relay standing in for the gateway: what one badge's microphone
/// hears comes out of the other's speaker.
/// </summary>
public class EndToEndTests(ITestOutputHelper output)
{
    /// <summary>
    /// Measured here: 0.994 in each of five runs (8 kHz channel, IMA ADPCM, espeak-ng's 22.05 kHz speech resampled to
    /// 8 kHz, on a machine with a load average above 30), while other speech searched the same way scores 0.08. The
    /// floor leaves room for a concealed block or two; a burst shifted in time by a stall scores about 0.5.
    /// </summary>
    private const double CorrelationFloor = 0.9;

    [Fact]
    public async Task Speech_into_one_badge_is_heard_in_the_other_badges_output()
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
                Id = "kid-1", Port = broker.Port, Password = "s1", MicWav = spoken,
            });
            var heard = Path.Combine(folder, "mum.wav");
            // A deeper jitter buffer than the badge's default (2 frames): this machine may be shared with builds, and a
            // frame held up by its scheduler for more than the buffer would shift the rest of the burst in time.
            var listener = VirtualBadgeSettings.DefaultTunables();
            listener.JitterPrefill = 4;
            fleet.Add(new VirtualBadgeSettings { Id = "mum", Port = broker.Port, Password = "s2", OutputWav = heard, Tunables = listener });

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
            Assert.InRange(burst.FirstLatencyMs!.Value, 0, 1_000);

            var input = speech.At(8000).Samples;
            var received = PcmClip.Load(heard);
            Assert.Equal(8000, received.SampleRate);
            // Searched from just before the grant to 1.5 s after it: the way through broker, relay and jitter buffer.
            var (peak, lag) = Correlation.Best(input, received.Samples, (int)((talkingFrom - 0.1) * 8000), (int)((talkingFrom + 1.5) * 8000));
            output.WriteLine($"normalised cross-correlation {peak:0.000} at {lag / 8.0:0} ms into mum's output; talking from {talkingFrom:0.000} s");
            Assert.True(peak >= CorrelationFloor, $"correlation {peak:0.000} is below {CorrelationFloor}");

            // The control: other speech, searched the same way, must not pass (so the measure can fail).
            var other = PcmClip.Load(Speech.Say("The quick brown fox jumps over the lazy dog twice.", Path.Combine(folder, "other.wav"))).At(8000).Samples;
            var (otherPeak, _) = Correlation.Best(other, received.Samples, (int)((talkingFrom - 0.1) * 8000), (int)((talkingFrom + 1.5) * 8000));
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
