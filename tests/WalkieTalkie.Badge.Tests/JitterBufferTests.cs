using WalkieTalkie.Badge.Audio;
using WalkieTalkie.Badge.Tests.Fakes;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Badge.Tests;

public class JitterBufferTests
{
    private const uint Burst = 31;

    private static JitterBuffer NewBuffer(int slots = 8, int prefill = 2)
    {
        var buffer = new JitterBuffer(slots, 8 * 164, 321, prefill);
        buffer.Begin(Burst, 0);
        return buffer;
    }

    private static OfferResult Offer(JitterBuffer buffer, byte[] frame)
    {
        var parsed = new AudioFrame();
        Assert.Equal(ProtocolError.None, parsed.Read(frame, 0, frame.Length));
        return buffer.Offer(parsed);
    }

    /// <summary>Pulls until finished (or a limit); returns the block numbers heard, -1 for silence, -2 for concealment.</summary>
    private static List<int> Drain(JitterBuffer buffer, int limit = 1000)
    {
        var heard = new List<int>();
        for (var i = 0; i < limit; i++)
        {
            var result = buffer.Pull(out var samples);
            if (result == PullResult.Finished)
            {
                break;
            }

            if (result == PullResult.Played)
            {
                heard.Add(FrameMaker.Identify(buffer.Output.AsSpan(0, samples).ToArray()));
            }
            else if (result == PullResult.Concealed)
            {
                heard.Add(-2);
            }
            else if (result == PullResult.Silence)
            {
                heard.Add(-1);
            }
        }

        return heard;
    }

    [Fact]
    public void It_waits_for_the_prefill_then_plays_every_block_in_order()
    {
        var frames = FrameMaker.Burst(Burst, 1, 4, 2);
        var buffer = NewBuffer();
        Offer(buffer, frames[0]);
        Assert.Equal(PullResult.Waiting, buffer.Pull(out _));
        Offer(buffer, frames[1]);
        Offer(buffer, frames[2]);
        Offer(buffer, frames[3]);

        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], Drain(buffer));
        Assert.True(buffer.IsFinished);
        Assert.Equal((4, 8, 0, 0, 0), (buffer.Received, buffer.Played, buffer.Lost, buffer.Late, buffer.Duplicate));
    }

    [Fact]
    public void Frames_reordered_within_the_window_play_in_order()
    {
        var frames = FrameMaker.Burst(Burst, 1, 5, 1);
        var buffer = NewBuffer();
        foreach (var index in new[] { 2, 0, 4, 1, 3 })
        {
            Assert.Equal(OfferResult.Accepted, Offer(buffer, frames[index]));
        }

        Assert.Equal([0, 1, 2, 3, 4], Drain(buffer));
    }

    [Fact]
    public void A_lost_frame_is_concealed_once_then_silent_and_a_late_copy_is_dropped()
    {
        var frames = FrameMaker.Burst(Burst, 1, 4, 3);
        var buffer = NewBuffer();
        Offer(buffer, frames[0]);
        Offer(buffer, frames[2]);
        Offer(buffer, frames[3]);

        var heard = Drain(buffer, 3);
        Assert.Equal([0, 1, 2], heard);
        var concealed = buffer.Pull(out var samples);
        Assert.Equal(PullResult.Concealed, concealed);
        var previous = FrameMaker.BlockPcm(2)[160];
        Assert.InRange(buffer.Output[160], previous / 2 - 20, previous / 2 + 20);
        Assert.Equal(321, samples);
        Assert.Equal(OfferResult.Late, Offer(buffer, frames[1]));

        Assert.Equal([-1, -1, 6, 7, 8, 9, 10, 11], Drain(buffer));
        Assert.Equal((1, 1, 1, 2), (buffer.Lost, buffer.Late, buffer.Concealed, buffer.Silent));
    }

    [Fact]
    public void Duplicates_are_dropped_whether_waiting_or_already_played()
    {
        var frames = FrameMaker.Burst(Burst, 1, 3, 1);
        var buffer = NewBuffer();
        Offer(buffer, frames[0]);
        Assert.Equal(OfferResult.Duplicate, Offer(buffer, frames[0]));
        Offer(buffer, frames[1]);
        Assert.Equal([0], Drain(buffer, 1));
        Assert.Equal(OfferResult.Duplicate, Offer(buffer, frames[0]));
        Offer(buffer, frames[2]);
        Assert.Equal([1, 2], Drain(buffer));
        Assert.Equal(2, buffer.Duplicate);
    }

    [Fact]
    public void Frames_of_another_burst_or_rate_are_rejected()
    {
        var buffer = NewBuffer();
        Assert.Equal(OfferResult.Rejected, Offer(buffer, FrameMaker.Burst(Burst + 1, 1, 1, 1)[0]));
        Assert.Equal(OfferResult.Rejected, Offer(buffer, FrameMaker.Burst(Burst, 1, 1, 1, rate: 1)[0]));
    }

    [Fact]
    public void Running_dry_conceals_then_waits_for_the_prefill_so_a_slow_frame_still_plays()
    {
        var frames = FrameMaker.Burst(Burst, 1, 4, 1);
        var buffer = NewBuffer();
        Offer(buffer, frames[0]);
        Offer(buffer, frames[1]);
        Assert.Equal([0, 1, -2], Drain(buffer, 3));
        Assert.Equal(PullResult.Waiting, buffer.Pull(out _));
        Offer(buffer, frames[2]);
        Offer(buffer, frames[3]);
        Assert.Equal([2, 3], Drain(buffer));
        Assert.Equal((0, 1), (buffer.Lost, buffer.Underruns));
    }

    [Fact]
    public void A_frame_beyond_the_window_gives_up_the_oldest_missing_frames()
    {
        var frames = FrameMaker.Burst(Burst, 1, 12, 1);
        var buffer = NewBuffer(slots: 4, prefill: 1);
        Offer(buffer, frames[0]);
        Offer(buffer, frames[5]);

        // The window is 4 frames: frame 5 moves it to 2..5, giving up frame 0 (received) and frame 1 (never came).
        Assert.Equal((1, 1), (buffer.Skipped, buffer.Lost));
        Assert.Equal([-1, -1, -1, 5], Drain(buffer, 4));
        Assert.Equal(4, buffer.Lost);
    }

    [Fact]
    public void The_frame_count_from_burst_end_finishes_a_burst_whose_last_frame_was_lost()
    {
        var frames = FrameMaker.Burst(Burst, 1, 3, 1);
        var buffer = NewBuffer();
        Offer(buffer, frames[0]);
        Offer(buffer, frames[1]);
        buffer.SetFrameCount(3);
        Assert.Equal([0, 1, -2], Drain(buffer));
        Assert.True(buffer.IsFinished);
        Assert.Equal(1, buffer.Lost);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Under_random_reordering_loss_and_duplication_nothing_plays_twice_or_out_of_order(int seed)
    {
        var random = new Random(seed);
        const int count = 120; // 240 blocks: their levels (1000 + 100 per block) stay within 16 bits
        var frames = FrameMaker.Burst(Burst, 1, count, 2);
        // Each frame is sent with probability 0.9, a tenth of them twice, each delayed by 0..3 frame periods.
        var arrivals = new List<(double At, int Index)>();
        var sentOnce = new HashSet<int>();
        for (var i = 0; i < count; i++)
        {
            if (random.NextDouble() < 0.1)
            {
                continue;
            }

            sentOnce.Add(i);
            arrivals.Add((i + random.NextDouble() * 3, i));
            if (random.NextDouble() < 0.1)
            {
                arrivals.Add((i + random.NextDouble() * 3, i));
            }
        }

        arrivals.Sort((a, b) => a.At.CompareTo(b.At));
        var buffer = NewBuffer(slots: 8, prefill: 2);
        var heard = new List<int>();
        var next = 0;
        var accepted = 0;
        for (var tick = 0; tick < 4 * count && !buffer.IsFinished; tick++)
        {
            // Two blocks per frame: two pulls per frame period.
            while (next < arrivals.Count && arrivals[next].At <= tick / 2.0)
            {
                if (Offer(buffer, frames[arrivals[next].Index]) == OfferResult.Accepted)
                {
                    accepted++;
                }

                next++;
            }

            if (next == arrivals.Count)
            {
                buffer.SetFrameCount(count);
            }

            var result = buffer.Pull(out var samples);
            if (result == PullResult.Played)
            {
                heard.Add(FrameMaker.Identify(buffer.Output.AsSpan(0, samples).ToArray()));
            }
        }

        Assert.True(buffer.IsFinished);
        Assert.Equal(heard.Distinct().Count(), heard.Count);
        Assert.Equal(heard.OrderBy(x => x), heard);
        Assert.All(heard, block => Assert.Contains(block / 2, sentOnce));
        Assert.Equal(accepted, buffer.Received);
        Assert.Equal(arrivals.Count, buffer.Received + buffer.Late + buffer.Duplicate);
        Assert.Equal(count, buffer.Received + buffer.Lost);
        Assert.Equal(2 * buffer.Received, buffer.Played);
        Assert.True(buffer.Duplicate > 0 && buffer.Lost > 0, $"seed {seed}: the run must exercise both");
    }
}
