using WalkieTalkie.Media.Resampling;
using WalkieTalkie.Media.Tests.Support;
using Xunit.Abstractions;

namespace WalkieTalkie.Media.Tests.Resampling;

/// <summary>The 48 kHz to channel-rate filter: it keeps the voice band and does not fold what lies above into it.</summary>
public sealed class ChannelResamplerTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData(8000, 1000)]
    [InlineData(8000, 3000)]
    [InlineData(16000, 1000)]
    [InlineData(16000, 6000)]
    public void Tones_in_the_pass_band_keep_their_level_and_place(int rate, int hertz)
    {
        short[] input = TestAudio.Tone(48000, hertz, 1, 0.5);
        short[] output = ChannelResampler.Resample(input, 48000, rate);
        short[] expected = TestAudio.Tone(rate, hertz, 1, 0.5);

        Assert.Equal(expected.Length, output.Length);
        double gainDb = 20 * Math.Log10(Similarity.Rms(output) / Similarity.Rms(expected));
        double correlation = Similarity.CorrelationAt(expected, output, 0);
        log.WriteLine($"{hertz} Hz to {rate} Hz: gain {gainDb:F2} dB, correlation {correlation:F5}");
        Assert.InRange(gainDb, -0.5, 0.5);
        Assert.True(correlation > 0.999, $"correlation {correlation:F5}: the output is shifted or distorted");
    }

    [Theory]
    [InlineData(8000, 6000)]
    [InlineData(8000, 12000)]
    [InlineData(16000, 10000)]
    public void Tones_above_the_new_nyquist_frequency_are_removed_not_aliased(int rate, int hertz)
    {
        // Dropping samples would fold 6 kHz to 2 kHz at 8 kHz at full level.
        short[] input = TestAudio.Tone(48000, hertz, 1, 0.5);
        short[] output = ChannelResampler.Resample(input, 48000, rate);
        // The first and last 5 ms hold the filter's edge transients: judge the steady state.
        int edge = rate / 200;
        double level = 20 * Math.Log10(Math.Max(1, Similarity.Rms(output.AsSpan(edge, output.Length - 2 * edge))) / Similarity.Rms(input));
        log.WriteLine($"{hertz} Hz to {rate} Hz: {level:F1} dB");
        Assert.True(level < -60, $"only {level:F1} dB down");
    }

    [Fact]
    public void Lengths_round_to_the_nearest_sample()
    {
        Assert.Equal(3, ChannelResampler.Resample(new short[9], 48000, 16000).Length);
        Assert.Equal(2, ChannelResampler.Resample(new short[7], 48000, 16000).Length);
        Assert.Equal(3, ChannelResampler.Resample(new short[8], 48000, 16000).Length);
        Assert.Empty(ChannelResampler.Resample([], 48000, 8000));
        Assert.Single(ChannelResampler.Resample([1000, 1000, 1000, 1000], 48000, 8000));
    }
}
