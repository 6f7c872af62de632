using WalkieTalkie.Badge.Audio;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Tests.Fakes;
using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Badge.Tests;

/// <summary>
/// Mouth to ear inside the listening badge, on a fake clock: a talker's frames arrive at the pace they are spoken, the
/// session plays them into a speaker that queues ahead, and each block's latency is when it sounds less when it was
/// spoken. A burst must keep the latency of its first block: not lose it to blocks concealed while the speaker still
/// had audio, and take back what a late frame or a stall added.
/// </summary>
public class ReceiveSessionLatencyTests
{
    private const uint Burst = 60;

    private sealed record Run(List<double> Latencies, List<double> SoundsAt, JitterBuffer Jitter, List<(uint Burst, int Sequence, int Block, PullResult Result)> Played)
    {
        public double First => Latencies[0];

        /// <summary>The median latency of the last <paramref name="count"/> blocks played.</summary>
        public double End(int count) => Latencies.TakeLast(count).Order().ElementAt(Math.Min(count, Latencies.Count) / 2);
    }

    /// <summary>
    /// Plays a burst of <paramref name="frames"/> frames. Frame k is spoken from k frame lengths on and arrives one
    /// frame length and <paramref name="delay"/>(k) ms later; during <paramref name="stall"/> the badge's thread does
    /// not run at all (what arrived meanwhile is taken when it runs again).
    /// </summary>
    private static Run Play(int rate, int blocksPerFrame, int frames, int speakerQueueMilliseconds, Func<int, double> delay,
        (long From, long To) stall = default, bool replay = false)
    {
        var clock = new FakeClock { Milliseconds = 0 };
        var playback = new QueueingPlayback(clock, speakerQueueMilliseconds);
        var observer = new RecordingObserver();
        var session = new ReceiveSession(playback, new GatewayLink(new FakeTransport { IsConnected = true }, "ear"), observer,
            new JitterBuffer(8, 8 * 164, 321, 2), 2000);
        var rateCode = rate == 16000 ? SampleRate.Wideband : SampleRate.Narrowband;
        var made = FrameMaker.Burst(Burst, 1, frames, blocksPerFrame, rateCode).Select(FrameMaker.Parse).ToList();
        var blockMs = 321 * 1000.0 / rate;
        var frameMs = blocksPerFrame * blockMs;
        session.Begin(Burst, 1, rateCode, replay, clock.Milliseconds);
        var next = 0;
        while (!session.HasEnded && clock.Milliseconds < frames * frameMs + 5000)
        {
            clock.Advance(1);
            if (clock.Milliseconds >= stall.From && clock.Milliseconds < stall.To)
            {
                continue;
            }

            while (next < frames && (next + 1) * frameMs + delay(next) <= clock.Milliseconds)
            {
                session.Offer(made[next++], clock.Milliseconds);
            }

            session.Step(clock.Milliseconds);
        }

        Assert.True(session.HasEnded, "the burst must play to its end");
        var latencies = new List<double>();
        var soundsAt = new List<double>();
        for (var i = 0; i < observer.Played.Count; i++)
        {
            var (_, sequence, block, result) = observer.Played[i];
            if (result is PullResult.Played or PullResult.Shortened)
            {
                latencies.Add(playback.SoundsAt[i] - (sequence * blocksPerFrame + block) * blockMs);
                soundsAt.Add(playback.SoundsAt[i]);
            }
        }

        return new Run(latencies, soundsAt, session.Jitter, observer.Played);
    }

    private static void AssertEveryBlockOnceInOrder(Run run, int frames, int blocksPerFrame)
    {
        var blocks = new List<int>();
        foreach (var (_, sequence, block, result) in run.Played)
        {
            if (result is PullResult.Played or PullResult.Shortened)
            {
                blocks.Add(sequence * blocksPerFrame + block);
            }
        }

        Assert.Equal(Enumerable.Range(0, frames * blocksPerFrame), blocks);
    }

    [Theory]
    [InlineData(8000, 1)]
    [InlineData(16000, 1)]
    [InlineData(8000, 2)]
    public void Frames_that_come_in_time_play_at_the_first_blocks_latency_though_the_speaker_queues_more_than_the_prefill(int rate, int blocksPerFrame)
    {
        // 80 ms of speaker queue, as the virtual badge's: it takes the whole prefill at once, and each next frame
        // arrives after the speaker asked for it but long before it runs out.
        var run = Play(rate, blocksPerFrame, 150, 80, _ => 2);

        Assert.Equal((0, 0, 0), (run.Jitter.Concealed, run.Jitter.Underruns, run.Jitter.Shortened));
        Assert.All(run.Latencies, latency => Assert.InRange(latency, run.First - 1, run.First + 1));
        AssertEveryBlockOnceInOrder(run, 150, blocksPerFrame);
    }

    [Theory]
    [InlineData(8000, 0)]
    [InlineData(16000, 0)]
    [InlineData(8000, 80)]
    [InlineData(16000, 80)]
    public void Latency_that_a_late_frame_added_is_taken_back(int rate, int speakerQueueMilliseconds)
    {
        var blockMs = 321 * 1000.0 / rate;
        var run = Play(rate, 1, 250, speakerQueueMilliseconds, k => k == 60 ? 150 : 2);

        Assert.Equal((1, 1), (run.Jitter.Underruns, run.Jitter.Concealed));
        Assert.Equal(0, run.Jitter.Lost);
        Assert.True(run.Latencies.Max() >= run.First + blockMs, "the late frame must have pushed latency up");
        Assert.True(run.Jitter.Shortened >= 1);
        Assert.InRange(run.End(25), run.First - 1, run.First + blockMs / 2);
        AssertEveryBlockOnceInOrder(run, 250, 1);
    }

    [Fact]
    public void Latency_that_a_stall_of_the_badge_added_is_taken_back()
    {
        const int rate = 8000;
        var blockMs = 321 * 1000.0 / rate;
        // The badge's thread stops for 280 ms (7 frames: the jitter buffer's window holds 8): the speaker runs dry, and
        // the rest of the burst would sound later by what the stall outlasted the speaker's queue.
        var run = Play(rate, 1, 250, 80, _ => 2, (3000, 3280));

        Assert.True(run.Latencies.Max() >= run.First + 2 * blockMs, "the stall must have pushed latency up");
        Assert.True(run.Jitter.Shortened >= 8, "at most a quarter of a block comes out of each");
        Assert.InRange(run.End(25), run.First - 1, run.First + blockMs / 2);
        AssertEveryBlockOnceInOrder(run, 250, 1);
    }

    [Theory]
    [InlineData(8000, 400)]
    [InlineData(8000, 829)]
    [InlineData(16000, 400)]
    [InlineData(16000, 829)]
    [InlineData(16000, 1500)]
    public void Latency_that_a_stall_of_the_whole_process_added_is_taken_back_within_twice_the_stall(int rate, int stallMilliseconds)
    {
        // Talker and listener stop together (a loaded machine): the frames spoken meanwhile are all there when the
        // listener runs again, more of them than the jitter buffer's window holds.
        var blockMs = 321 * 1000.0 / rate;
        var frames = (int)(20_000 / (2 * blockMs));
        var run = Play(rate, 2, frames, 80, _ => 2, (5000, 5000 + stallMilliseconds));

        AssertTakenBack(run, rate, 5000 + stallMilliseconds, stallMilliseconds);
    }

    [Theory]
    [InlineData(8000, 400)]
    [InlineData(8000, 829)]
    [InlineData(16000, 400)]
    [InlineData(16000, 829)]
    public void Latency_that_a_dry_spell_added_is_taken_back_within_twice_the_spell(int rate, int spellMilliseconds)
    {
        // The listener runs on, but no frame comes for a while; then the frames spoken meanwhile come together.
        var blockMs = 321 * 1000.0 / rate;
        var frameMs = 2 * blockMs;
        var frames = (int)(20_000 / frameMs);
        var spellEnd = 5000 + spellMilliseconds;
        var run = Play(rate, 2, frames, 80, k => (k + 1) * frameMs + 2 is >= 5000 and < 5000 + 10_000 && (k + 1) * frameMs < spellEnd
            ? spellEnd - (k + 1) * frameMs
            : 2);

        Assert.Equal(1, run.Jitter.Underruns);
        Assert.Equal(1, run.Jitter.Concealed);
        AssertTakenBack(run, rate, spellEnd, spellMilliseconds);
    }

    private static void AssertTakenBack(Run run, int rate, double stallEnd, int stallMilliseconds)
    {
        var blockMs = 321 * 1000.0 / rate;
        var bound = stallEnd + 2 * stallMilliseconds + 500;
        var after = run.Latencies.Where((_, i) => run.SoundsAt[i] >= bound).ToList();
        var summary = $"first {run.First:0} ms, highest {run.Latencies.Max():0} ms, highest after {bound:0} ms {after.Max():0} ms";
        Assert.True(run.Latencies.Max() >= run.First + 2 * blockMs, "the stall must have pushed latency up: " + summary);
        Assert.True(after.Count > 100, "the burst must go on long enough after the stall");
        Assert.True(after.Max() <= run.First + blockMs / 2, "latency must be back within twice the stall: " + summary);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Steady_frames_with_a_little_jitter_are_neither_concealed_nor_shortened(int seed)
    {
        var random = new Random(seed);
        var delays = Enumerable.Range(0, 200).Select(_ => 1 + random.NextDouble() * 9).ToArray();
        var run = Play(16000, 2, 200, 20, k => delays[k]);

        Assert.Equal((0, 0, 0), (run.Jitter.Concealed, run.Jitter.Underruns, run.Jitter.Shortened));
        Assert.InRange(run.Latencies.Max() - run.Latencies.Min(), 0, 1);
        AssertEveryBlockOnceInOrder(run, 200, 2);
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    public void A_replay_sent_ahead_is_played_whole_not_shortened(int rate)
    {
        // A recording is sent ahead of its pace (the gateway's replay lead, 4 frames): the jitter buffer holds more
        // than its target for good, which is not latency to take back: nobody waits on a recording, and shortening
        // blocks would only speed the voice up.
        const int lead = 4;
        var blockMs = 321 * 1000.0 / rate;
        var run = Play(rate, 1, 120, 80, k => -lead * blockMs, replay: true);

        Assert.Equal(0, run.Jitter.Shortened);
        AssertEveryBlockOnceInOrder(run, 120, 1);
    }

    [Fact]
    public void Taking_latency_back_allocates_nothing()
    {
        var clock = new FakeClock();
        var playback = new FakePlayback(clock) { Record = false };
        var session = new ReceiveSession(playback, new GatewayLink(new FakeTransport { IsConnected = true }, "ear"), new SilentObserver(),
            new JitterBuffer(8, 8 * 164, 321, 2), 2000);
        var frames = FrameMaker.Burst(Burst, 1, 100, 1).Select(FrameMaker.Parse).ToList();
        session.Begin(Burst, 1, SampleRate.Narrowband, replay: false, clock.Milliseconds);
        // Six frames at once, then one every block: five blocks more than the prefill wait, for good.
        for (var i = 0; i < 6; i++)
        {
            session.Offer(frames[i], clock.Milliseconds);
        }

        var next = 6;
        void RunFor(int milliseconds)
        {
            for (var ms = 0; ms < milliseconds; ms++)
            {
                clock.Advance(1);
                if (ms % 40 == 0 && next < frames.Count)
                {
                    session.Offer(frames[next++], clock.Milliseconds);
                }

                session.Step(clock.Milliseconds);
            }
        }

        RunFor(200);
        var before = GC.GetAllocatedBytesForCurrentThread();
        RunFor(2_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(session.Jitter.Shortened >= 3, "the window must hold shortened blocks");
        Assert.Equal(0, allocated);
    }
}
