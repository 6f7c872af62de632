using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Protocol.Tests.Audio;

public sealed class ImaAdpcmTablesTests
{
    [Fact]
    public void Step_table_is_the_standard_one()
    {
        var steps = ImaAdpcmTables.StepSizes;
        Assert.Equal(89, steps.Length);
        Assert.Equal([7, 8, 9, 10, 11, 12, 13, 14, 16, 17], steps[..10]);
        Assert.Equal(32767, steps[88]);
        for (int i = 1; i < steps.Length; i++)
        {
            // Each step is about 1.1 times the one before.
            Assert.InRange(steps[i] * 1000L / steps[i - 1], 1060, 1150);
        }
    }

    [Fact]
    public void Delta_table_is_the_shift_and_add_reference_for_every_step_and_code()
    {
        for (int index = 0; index <= 88; index++)
        {
            int step = ImaAdpcmTables.StepSizes[index];
            for (int magnitude = 0; magnitude < 8; magnitude++)
            {
                int expected = (step >> 3) + ((magnitude & 4) != 0 ? step : 0) + ((magnitude & 2) != 0 ? step >> 1 : 0) + ((magnitude & 1) != 0 ? step >> 2 : 0);
                Assert.Equal(expected, ImaAdpcmTables.Delta[index * 8 + magnitude]);
            }
        }
    }

    [Fact]
    public void Next_state_and_step_follow_the_index_table_clamped_to_0_88()
    {
        int[] adjust = [-1, -1, -1, -1, 2, 4, 6, 8];
        for (int index = 0; index <= 88; index++)
        {
            for (int magnitude = 0; magnitude < 8; magnitude++)
            {
                int next = Math.Clamp(index + adjust[magnitude], 0, 88);
                Assert.Equal(next * 8, ImaAdpcmTables.NextState[index * 8 + magnitude]);
                Assert.Equal(ImaAdpcmTables.StepSizes[next], ImaAdpcmTables.NextStep[index * 8 + magnitude]);
            }
        }
    }

    [Theory]
    [InlineData(321, 164)]
    [InlineData(337, 172)]
    [InlineData(505, 256)]
    [InlineData(1, 4)]
    [InlineData(3, 5)]
    public void Block_sizes_convert_both_ways(int samples, int bytes)
    {
        Assert.Equal(bytes, ImaAdpcm.BlockBytesFor(samples));
        Assert.Equal(samples, ImaAdpcm.SamplesPerBlockFor(bytes));
    }

    [Fact]
    public void Default_block_is_337_samples_in_172_bytes()
    {
        Assert.Equal(337, ImaAdpcm.DefaultSamplesPerBlock);
        Assert.Equal(172, ImaAdpcm.DefaultBlockBytes);
        Assert.Equal(ImaAdpcm.DefaultBlockBytes, ImaAdpcm.BlockBytesFor(ImaAdpcm.DefaultSamplesPerBlock));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(-1)]
    public void Even_or_non_positive_sample_counts_have_no_block(int samples) => Assert.Equal(0, ImaAdpcm.BlockBytesFor(samples));

    [Fact]
    public void Every_error_code_has_its_own_description()
    {
        int[] codes = [AdpcmError.NullBuffer, AdpcmError.BlockTooShort, AdpcmError.BadStepIndex, AdpcmError.OutputTooSmall, AdpcmError.BadSampleCount, AdpcmError.BlockTooLong];
        var descriptions = codes.Select(AdpcmError.Describe).ToList();
        Assert.All(codes, code => Assert.True(code < 0));
        Assert.Equal(codes.Length, descriptions.Distinct().Count());
        Assert.DoesNotContain("unknown IMA ADPCM error", descriptions);
    }
}
