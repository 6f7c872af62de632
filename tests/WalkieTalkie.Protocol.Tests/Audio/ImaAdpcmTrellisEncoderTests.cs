using FsCheck.Xunit;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Tests.Audio.Support;

namespace WalkieTalkie.Protocol.Tests.Audio;

/// <summary>The gateway's searching encoder: valid blocks, never worse than greedy from any start index.</summary>
public sealed class ImaAdpcmTrellisEncoderTests
{
    [Property(MaxTest = 60)]
    public void Is_never_worse_than_the_greedy_encoder_from_any_start_index(int seed)
    {
        var samples = Signals.Mixed(seed, 321);
        var block = new byte[ImaAdpcm.BlockBytesFor(321)];
        var decoded = new short[321];

        Assert.Equal(ImaAdpcm.BlockBytesFor(321), new ImaAdpcmTrellisEncoder().EncodeBlock(samples, 0, 321, block, 0));
        Assert.Equal(321, ImaAdpcmDecoder.DecodeBlock(block, 0, block.Length, decoded, 0));
        long trellis = Signals.SquaredError(samples, 0, decoded, 0, 321);

        for (int start = 0; start <= 88; start++)
        {
            var (_, greedy, _) = ReferenceImaEncoder.Encode(samples, 0, 321, start);
            Assert.True(trellis <= Signals.SquaredError(samples, 0, greedy, 0, 321), $"worse than greedy from step index {start}");
        }
    }

    [Property(MaxTest = 100)]
    public void Writes_a_valid_block_for_any_odd_length_it_was_built_for(short[] samples, byte widthSeed, byte startsSeed)
    {
        int count = samples.Length % 2 == 1 ? samples.Length : samples.Length - 1;
        if (count < 1)
        {
            return;
        }

        var encoder = new ImaAdpcmTrellisEncoder(count, 1 + widthSeed % 20, 1 + startsSeed % 5);
        var block = new byte[ImaAdpcm.BlockBytesFor(count)];
        Assert.Equal(block.Length, encoder.EncodeBlock(samples, 0, count, block, 0));

        var decoded = new short[count];
        Assert.Equal(count, ImaAdpcmDecoder.DecodeBlock(block, 0, block.Length, decoded, 0));
        Assert.Equal(samples[0], decoded[0]);
        Assert.Equal(0, block[3]);
    }

    [Fact]
    public void A_block_longer_than_it_was_built_for_is_an_error()
    {
        var encoder = new ImaAdpcmTrellisEncoder(101, 4, 1);
        Assert.Equal(AdpcmError.BlockTooLong, encoder.EncodeBlock(new short[103], 0, 103, new byte[100], 0));
        Assert.Equal(101, encoder.MaxSamplesPerBlock);
    }

    [Fact]
    public void Encoding_a_block_allocates_nothing()
    {
        var samples = Signals.Mixed(5, 321);
        var block = new byte[ImaAdpcm.BlockBytesFor(321)];
        var encoder = new ImaAdpcmTrellisEncoder();
        encoder.EncodeBlock(samples, 0, 321, block, 0);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            encoder.EncodeBlock(samples, 0, 321, block, 0);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
