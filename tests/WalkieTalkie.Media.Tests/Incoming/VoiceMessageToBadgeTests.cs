using WalkieTalkie.Media.Bursts;
using WalkieTalkie.Media.Tests.Support;
using WalkieTalkie.Media.VoiceMessages;
using WalkieTalkie.Protocol.Audio;
using Xunit.Abstractions;

namespace WalkieTalkie.Media.Tests.Incoming;

/// <summary>A phone's voice message all the way to the protocol's ADPCM blocks, judged by what a badge would play.</summary>
public sealed class VoiceMessageToBadgeTests(ITestOutputHelper log)
{
    /// <summary>Measured 0.99 (8 kHz) and 0.99 (16 kHz): the trellis ADPCM encoder adds little error to opusdec's audio.</summary>
    private const double MinCorrelation = 0.97;

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    public void The_blocks_play_what_opusdec_plays(int channelRate)
    {
        using var folder = new TempFolder();
        string input = TestAudio.SpeechAt(folder, 48000, 2);
        string opus = folder.File("message.opus");
        ExternalTool.Check("opusenc", "--quiet", "--bitrate", "32", input, opus);

        BadgeBurst burst = VoiceMessageDecoder.ToBadgeBurst(File.ReadAllBytes(opus), channelRate);

        Assert.Equal(channelRate, burst.SampleRate);
        Assert.All(burst.Blocks, block => Assert.Equal(ImaAdpcm.BlockBytesFor(ImaAdpcm.DefaultSamplesPerBlock), block.Length));
        var played = new short[burst.Blocks.Count * burst.SamplesPerBlock];
        for (int b = 0; b < burst.Blocks.Count; b++)
        {
            Assert.Equal(burst.SamplesPerBlock, ImaAdpcmDecoder.DecodeBlock(burst.Blocks[b], 0, burst.BlockBytes, played, b * burst.SamplesPerBlock));
        }

        string reference = folder.File("opusdec.wav");
        ExternalTool.Check("opusdec", "--quiet", "--no-dither", opus, reference);
        short[] theirs = TestAudio.Pcm(folder, reference, channelRate);
        Assert.Equal(theirs.Length, burst.SampleCount);
        Assert.True(played.AsSpan(burst.SampleCount).IndexOfAnyExcept((short)0) < 0 || Similarity.Rms(played.AsSpan(burst.SampleCount)) < 50, "the padding is silence");

        double correlation = Similarity.CorrelationAt(theirs, played.AsSpan(0, burst.SampleCount), 0);
        log.WriteLine($"{channelRate} Hz: {burst.Blocks.Count} blocks of {burst.BlockBytes} bytes; correlation with opusdec {correlation:F4}");
        Assert.True(correlation >= MinCorrelation, $"correlation {correlation:F4}");
    }

    [Fact]
    public void A_channel_rate_other_than_8_or_16_kHz_is_an_argument_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VoiceMessageDecoder.ToPcm([], 44100));
    }
}
