using FsCheck.Xunit;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Tests.Audio.Support;

namespace WalkieTalkie.Protocol.Tests.Audio;

/// <summary>The badge's greedy encoder: byte for byte the plain reference encoder, only cheaper.</summary>
public sealed class ImaAdpcmEncoderTests
{
    [Property(MaxTest = 300)]
    public void Encodes_byte_for_byte_as_the_reference_encoder(int seed, byte startIndex)
    {
        var samples = Signals.Mixed(seed, 3 * 321);
        var encoder = new ImaAdpcmEncoder { StepIndex = startIndex % 89 };
        int index = encoder.StepIndex;
        var block = new byte[ImaAdpcm.BlockBytesFor(321)];
        for (int b = 0; b < 3; b++)
        {
            var (expected, _, endIndex) = ReferenceImaEncoder.Encode(samples, b * 321, 321, index);
            Assert.Equal(ImaAdpcm.BlockBytesFor(321), encoder.EncodeBlock(samples, b * 321, 321, block, 0));
            Assert.Equal(expected, block);
            Assert.Equal(endIndex, encoder.StepIndex);
            index = endIndex;
        }
    }

    [Property(MaxTest = 200)]
    public void Any_odd_block_length_matches_the_reference(short[] samples, byte startIndex)
    {
        int count = samples.Length % 2 == 1 ? samples.Length : samples.Length - 1;
        if (count < 1)
        {
            return;
        }

        var (expected, _, _) = ReferenceImaEncoder.Encode(samples, 0, count, startIndex % 89);
        var block = new byte[ImaAdpcm.BlockBytesFor(count) + 2];
        var encoder = new ImaAdpcmEncoder { StepIndex = startIndex % 89 };
        Assert.Equal(expected.Length, encoder.EncodeBlock(samples, 0, count, block, 2));
        Assert.Equal(expected, block[2..]);
    }

    [Fact]
    public void Reset_starts_from_step_index_0()
    {
        var encoder = new ImaAdpcmEncoder();
        var block = new byte[ImaAdpcm.BlockBytesFor(321)];
        encoder.EncodeBlock(Signals.Mixed(3, 321), 0, 321, block, 0);
        encoder.Reset();
        Assert.Equal(0, encoder.StepIndex);
    }

    [Theory]
    [InlineData(300, 88)]
    [InlineData(89, 88)]
    [InlineData(-4, 0)]
    [InlineData(40, 40)]
    public void Step_index_is_kept_within_0_88(int given, int expected)
    {
        Assert.Equal(expected, new ImaAdpcmEncoder { StepIndex = given }.StepIndex);
    }

    [Theory]
    [InlineData(0, 0, 164, AdpcmError.BadSampleCount)]
    [InlineData(0, 320, 164, AdpcmError.BadSampleCount)]
    [InlineData(1, 321, 164, AdpcmError.BadSampleCount)]
    [InlineData(-1, 321, 164, AdpcmError.BadSampleCount)]
    [InlineData(0, 321, 163, AdpcmError.OutputTooSmall)]
    public void Bad_arguments_are_errors_for_both_encoders(int offset, int count, int blockLength, int error)
    {
        var samples = new short[321];
        var block = new byte[blockLength];
        Assert.Equal(error, new ImaAdpcmEncoder().EncodeBlock(samples, offset, count, block, 0));
        Assert.Equal(error, new ImaAdpcmTrellisEncoder().EncodeBlock(samples, offset, count, block, 0));
        Assert.Equal(AdpcmError.NullBuffer, new ImaAdpcmEncoder().EncodeBlock(null!, 0, 1, block, 0));
        Assert.Equal(AdpcmError.NullBuffer, new ImaAdpcmTrellisEncoder().EncodeBlock(samples, 0, 1, null!, 0));
    }

    [Fact]
    public void Encoding_a_block_allocates_nothing()
    {
        var samples = Signals.Mixed(11, 321);
        var block = new byte[ImaAdpcm.BlockBytesFor(321)];
        var encoder = new ImaAdpcmEncoder();
        encoder.EncodeBlock(samples, 0, 321, block, 0);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            encoder.EncodeBlock(samples, 0, 321, block, 0);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
