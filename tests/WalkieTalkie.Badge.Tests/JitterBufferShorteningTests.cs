using WalkieTalkie.Badge.Audio;
using WalkieTalkie.Badge.Tests.Fakes;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Badge.Tests;

/// <summary>A received block played shorter: how the jitter buffer takes latency back.</summary>
public class JitterBufferShorteningTests
{
    private const uint Burst = 32;

    private static JitterBuffer Filled(List<byte[]> frames, params int[] offered)
    {
        var buffer = new JitterBuffer(8, 8 * 164, 321, 2);
        buffer.Begin(Burst, 0);
        foreach (var index in offered.Length > 0 ? offered : Enumerable.Range(0, frames.Count).ToArray())
        {
            buffer.Offer(FrameMaker.Parse(frames[index]));
        }

        return buffer;
    }

    /// <summary>Frames of one block each, every block a rising ramp from 0 by 40 a sample.</summary>
    private static List<byte[]> Ramps(int count)
    {
        var ramp = Enumerable.Range(0, FrameMaker.Samples).Select(i => (short)(40 * i)).ToArray();
        var blockBytes = ImaAdpcm.BlockBytesFor(FrameMaker.Samples);
        var frames = new List<byte[]>();
        for (var sequence = 0; sequence < count; sequence++)
        {
            var frame = new byte[AudioFrame.LengthFor(1, blockBytes)];
            AudioFrame.WriteHeader(frame, 0, 1, (byte)(sequence == 0 ? FrameFlags.First : 0), Burst, (ushort)sequence, SampleRate.Narrowband, 1, blockBytes);
            new ImaAdpcmEncoder().EncodeBlock(ramp, 0, FrameMaker.Samples, frame, AudioFrame.HeaderLength);
            frames.Add(frame);
        }

        return frames;
    }

    [Fact]
    public void A_shortened_block_starts_and_ends_as_it_would_have_and_rises_without_a_jump()
    {
        var buffer = Filled(Ramps(3));
        Assert.Equal(PullResult.Played, buffer.Pull(out var samples));
        var whole = buffer.Output.AsSpan(0, samples).ToArray();

        Assert.Equal(PullResult.Shortened, buffer.PullShortened(80, out samples));

        Assert.Equal(321 - 80, samples);
        var shortened = buffer.Output.AsSpan(0, samples).ToArray();
        Assert.Equal(whole[0], shortened[0]);
        Assert.InRange(shortened[^1], whole[^1] - 60, whole[^1] + 60);
        for (var i = 1; i < samples; i++)
        {
            // The ramp climbs 40 a sample; the shortened one climbs faster (it covers the block in fewer samples), never jumps.
            Assert.InRange(shortened[i] - shortened[i - 1], 0, 120);
        }

        Assert.Equal((1, 0), (buffer.LastSequence, buffer.LastBlockIndex));
        Assert.Equal((2, 1), (buffer.Played, buffer.Shortened));
    }

    [Fact]
    public void A_block_is_never_shortened_by_more_than_half()
    {
        var buffer = Filled(FrameMaker.Burst(Burst, 1, 3, 2));

        Assert.Equal(PullResult.Shortened, buffer.PullShortened(1000, out var samples));

        Assert.Equal(321 - 160, samples);
        Assert.InRange(buffer.Output[samples - 1], FrameMaker.BlockPcm(0)[0] - 20, FrameMaker.BlockPcm(0)[0] + 20);
        Assert.Equal(PullResult.Played, buffer.PullShortened(0, out samples));
        Assert.Equal(321, samples);
        Assert.Equal(1, FrameMaker.Identify(buffer.Output.AsSpan(0, samples).ToArray()));
    }

    [Fact]
    public void What_is_not_a_received_block_comes_out_as_from_a_pull()
    {
        var buffer = Filled(FrameMaker.Burst(Burst, 1, 4, 1), 0);
        Assert.Equal(PullResult.Waiting, buffer.PullShortened(80, out var samples));
        Assert.Equal(0, samples);

        buffer = Filled(FrameMaker.Burst(Burst, 1, 4, 1), 0, 2);
        Assert.Equal(PullResult.Shortened, buffer.PullShortened(80, out _));
        Assert.Equal(PullResult.Concealed, buffer.PullShortened(80, out samples)); // frame 1 is lost
        Assert.Equal(321 - 80, samples - 80);
        Assert.Equal(PullResult.Shortened, buffer.PullShortened(80, out _));
        Assert.Equal(PullResult.Concealed, buffer.PullShortened(80, out _)); // dry
        Assert.Equal((1, 2, 1), (buffer.Lost, buffer.Shortened, buffer.Underruns));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Shortening_at_random_under_loss_and_reordering_plays_nothing_twice_or_out_of_order(int seed)
    {
        var random = new Random(seed);
        const int count = 120;
        var frames = FrameMaker.Burst(Burst, 1, count, 2);
        var arrivals = Enumerable.Range(0, count).Where(_ => random.NextDouble() >= 0.1)
            .Select(i => (At: i + random.NextDouble() * 3, Index: i)).OrderBy(a => a.At).ToList();
        var buffer = new JitterBuffer(8, 8 * 164, 321, 2);
        buffer.Begin(Burst, 0);
        var heard = new List<int>();
        var next = 0;
        for (var tick = 0; tick < 4 * count && !buffer.IsFinished; tick++)
        {
            while (next < arrivals.Count && arrivals[next].At <= tick / 2.0)
            {
                buffer.Offer(FrameMaker.Parse(frames[arrivals[next++].Index]));
            }

            if (next == arrivals.Count)
            {
                buffer.SetFrameCount(count);
            }

            var drop = random.NextDouble() < 0.3 ? random.Next(1, 200) : 0;
            var result = buffer.PullShortened(drop, out var samples);
            if (result is PullResult.Played or PullResult.Shortened)
            {
                heard.Add(2 * buffer.LastSequence + buffer.LastBlockIndex);
                Assert.Equal(result == PullResult.Shortened ? 321 - Math.Min(drop, 160) : 321, samples);
                // A constant block stays at its level however short it is played.
                Assert.Equal(heard[^1], FrameMaker.Identify(buffer.Output.AsSpan(0, samples).ToArray()));
            }
        }

        Assert.True(buffer.IsFinished);
        Assert.True(buffer.Shortened > 0, $"seed {seed}: the run must shorten");
        Assert.Equal(heard.Distinct().Count(), heard.Count);
        Assert.Equal(heard.Order(), heard);
        Assert.Equal(2 * buffer.Received, buffer.Played);
        Assert.Equal(buffer.Played, heard.Count);
    }
}
