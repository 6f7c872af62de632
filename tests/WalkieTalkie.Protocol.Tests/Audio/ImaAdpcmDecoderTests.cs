using FsCheck.Xunit;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Tests.Audio.Support;

namespace WalkieTalkie.Protocol.Tests.Audio;

public sealed class ImaAdpcmDecoderTests
{
    [Property(MaxTest = 300)]
    public void Decodes_what_the_reference_encoder_reconstructs(int seed, byte startIndex)
    {
        var samples = Signals.Mixed(seed, 321);
        var (block, reconstruction, _) = ReferenceImaEncoder.Encode(samples, 0, 321, startIndex % 89);

        var decoded = new short[321];
        Assert.Equal(321, ImaAdpcmDecoder.DecodeBlock(block, 0, block.Length, decoded, 0));
        Assert.Equal(reconstruction, decoded);
    }

    [Fact]
    public void Header_sample_is_the_first_output_sample()
    {
        var block = new byte[] { 0x34, 0x92, 0, 0 };
        var decoded = new short[1];
        Assert.Equal(1, ImaAdpcmDecoder.DecodeBlock(block, 0, 4, decoded, 0));
        Assert.Equal(unchecked((short)0x9234), decoded[0]);
    }

    [Fact]
    public void Decodes_at_offsets_and_leaves_the_rest_of_the_output_alone()
    {
        var block = new byte[10];
        block[3 + 2] = 40;
        block[3 + 4] = 0x7F;
        var decoded = Enumerable.Repeat((short)-5, 20).ToArray();

        Assert.Equal(7, ImaAdpcmDecoder.DecodeBlock(block, 3, 7, decoded, 4));
        Assert.All(decoded[..4], s => Assert.Equal(-5, s));
        Assert.All(decoded[11..], s => Assert.Equal(-5, s));
        Assert.Contains(decoded[4..11], s => s != -5);
    }

    [Theory]
    [InlineData(89)]
    [InlineData(255)]
    public void A_step_index_above_88_is_an_error(byte index)
    {
        var block = new byte[ImaAdpcm.DefaultBlockBytes];
        block[2] = index;
        Assert.Equal(AdpcmError.BadStepIndex, ImaAdpcmDecoder.DecodeBlock(block, 0, block.Length, new short[321], 0));
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(0, 0)]
    [InlineData(0, -1)]
    [InlineData(1, 164)]
    [InlineData(-1, 10)]
    [InlineData(200, 4)]
    public void A_block_shorter_than_its_header_or_outside_its_array_is_an_error(int offset, int length)
    {
        Assert.Equal(AdpcmError.BlockTooShort, ImaAdpcmDecoder.DecodeBlock(new byte[164], offset, length, new short[321], 0));
    }

    [Fact]
    public void Too_small_an_output_is_an_error()
    {
        Assert.Equal(AdpcmError.OutputTooSmall, ImaAdpcmDecoder.DecodeBlock(new byte[164], 0, 164, new short[320], 0));
        Assert.Equal(AdpcmError.OutputTooSmall, ImaAdpcmDecoder.DecodeBlock(new byte[164], 0, 164, new short[321], 1));
        Assert.Equal(AdpcmError.OutputTooSmall, ImaAdpcmDecoder.DecodeBlock(new byte[164], 0, 164, new short[400], -1));
    }

    [Fact]
    public void Null_buffers_are_an_error()
    {
        Assert.Equal(AdpcmError.NullBuffer, ImaAdpcmDecoder.DecodeBlock(null!, 0, 4, new short[1], 0));
        Assert.Equal(AdpcmError.NullBuffer, ImaAdpcmDecoder.DecodeBlock(new byte[4], 0, 4, null!, 0));
    }

    [Property(MaxTest = 500)]
    public void Hostile_input_gives_a_count_or_an_error_and_never_throws(byte[] bytes, int offset, int length, int outputLength, int outputOffset)
    {
        var output = new short[Math.Abs(outputLength % 2000)];
        int result = ImaAdpcmDecoder.DecodeBlock(bytes, offset, length, output, outputOffset);
        if (result >= 0)
        {
            Assert.Equal((length - 4) * 2 + 1, result);
        }
        else
        {
            Assert.NotEqual("unknown IMA ADPCM error", AdpcmError.Describe(result));
        }
    }

    [Fact]
    public void Decoding_a_block_allocates_nothing()
    {
        var samples = Signals.Mixed(7, 321);
        var (block, _, _) = ReferenceImaEncoder.Encode(samples, 0, 321, 20);
        var output = new short[321];
        ImaAdpcmDecoder.DecodeBlock(block, 0, block.Length, output, 0);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            ImaAdpcmDecoder.DecodeBlock(block, 0, block.Length, output, 0);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
