using WalkieTalkie.Media.Bursts;
using WalkieTalkie.Media.Tests.Support;
using WalkieTalkie.Media.VoiceMessages;

namespace WalkieTalkie.Media.Tests.Outgoing;

/// <summary>The burst recordings the gateway takes (IMA ADPCM or 16-bit PCM WAV, mono, 8 or 16 kHz) and the ones it refuses.</summary>
public sealed class BurstWavReaderTests
{
    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    public void A_pcm_wav_written_by_sox_is_read_sample_for_sample(int rate)
    {
        using var folder = new TempFolder();
        short[] tone = TestAudio.Tone(rate, 440, 0.75, 0.4);
        byte[] wav = File.ReadAllBytes(TestAudio.WriteWav(folder, "tone", tone, rate));

        BurstAudio burst = BurstWavReader.Read(wav);

        Assert.Equal(rate, burst.SampleRate);
        Assert.Equal(tone, burst.Samples);
        Assert.Equal(750, VoiceMessageEncoder.FromBurstWav(wav).DurationMilliseconds);
    }

    [Fact]
    public void An_ima_adpcm_wav_written_by_sox_is_read()
    {
        using var folder = new TempFolder();
        short[] tone = TestAudio.Tone(8000, 440, 1, 0.4);
        string pcm = TestAudio.WriteWav(folder, "tone", tone, 8000);
        string adpcm = folder.File("tone-ima.wav");
        ExternalTool.Check("sox", pcm, "-e", "ima-adpcm", adpcm);

        BurstAudio burst = BurstWavReader.Read(File.ReadAllBytes(adpcm));

        Assert.Equal(8000, burst.SampleRate);
        Assert.InRange(burst.Samples.Length, tone.Length, tone.Length + 1017);
        Assert.True(Similarity.CorrelationAt(tone, burst.Samples.AsSpan(0, tone.Length), 0) > 0.99);
    }

    [Theory]
    [InlineData(44100, 1, MediaError.UnsupportedSampleRate)]
    [InlineData(16000, 2, MediaError.BadBurst)]
    public void Other_rates_and_stereo_are_refused(int rate, int channels, MediaError expected)
    {
        using var folder = new TempFolder();
        short[] samples = new short[rate / 10 * channels];
        byte[] wav = File.ReadAllBytes(TestAudio.WriteWav(folder, "other", samples, rate, channels));
        var refusal = Assert.Throws<MediaFormatException>(() => VoiceMessageEncoder.FromBurstWav(wav));
        Assert.Equal(expected, refusal.Error);
    }

    [Fact]
    public void Bytes_that_are_no_wav_are_a_bad_burst()
    {
        var refusal = Assert.Throws<MediaFormatException>(() => BurstWavReader.Read("OggS and more bytes"u8.ToArray()));
        Assert.Equal(MediaError.BadBurst, refusal.Error);
    }
}
