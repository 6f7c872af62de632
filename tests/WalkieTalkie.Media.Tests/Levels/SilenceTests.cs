using WalkieTalkie.Media.Bursts;
using WalkieTalkie.Media.Levels;
using WalkieTalkie.Media.Tests.Support;
using WalkieTalkie.Media.VoiceMessages;
using Xunit.Abstractions;

namespace WalkieTalkie.Media.Tests.Levels;

/// <summary>
/// The silence rule (loudest 20 ms frame below −50 dBFS, DC removed) on real speech against silence and noise floors,
/// each passed through the badge's ADPCM codec as a real burst would be.
/// </summary>
public sealed class SilenceTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData(8000, 0)]
    [InlineData(16000, 0)]
    [InlineData(8000, -30)]
    [InlineData(16000, -30)]
    public void Speech_is_not_silence_even_30_dB_down(int rate, double gainDb)
    {
        using var folder = new TempFolder();
        short[] speech = Scale(TestAudio.Speech(folder, rate), gainDb);
        VoiceMessage message = VoiceMessageEncoder.FromBurstWav(BadgeBurstEncoder.Encode(speech, rate).ToWav());
        log.WriteLine($"speech at {gainDb} dB, {rate} Hz: loudest frame {message.LoudestFrameDbfs:F1} dBFS");
        Assert.False(message.IsSilence);
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    public void Digital_silence_and_quiet_hiss_are_silence(int rate)
    {
        foreach (var (name, pcm) in new (string, short[])[]
        {
            ("digital silence", new short[rate * 2]),
            ("DC offset of 300", Enumerable.Repeat((short)300, rate * 2).ToArray()),
            ("white noise at -60 dBFS", Noise(rate * 2, -60, 1)),
            ("white noise at -55 dBFS", Noise(rate * 2, -55, 2)),
        })
        {
            VoiceMessage message = VoiceMessageEncoder.FromBurstWav(BadgeBurstEncoder.Encode(pcm, rate).ToWav());
            log.WriteLine($"{name}, {rate} Hz: loudest frame {message.LoudestFrameDbfs:F1} dBFS");
            Assert.True(message.IsSilence, name);
        }
    }

    [Fact]
    public void Noise_above_the_threshold_is_sent()
    {
        short[] hiss = Noise(16000, -40, 3);
        Assert.InRange(BurstLevel.LoudestFrameDbfs(hiss, 16000), -43, -37);
        Assert.False(BurstLevel.IsSilence(hiss, 16000));
    }

    [Fact]
    public void One_word_in_a_long_silence_is_enough()
    {
        using var folder = new TempFolder();
        short[] word = TestAudio.Pcm(folder, TestAudio.SpeechWav(folder, "yes"), 16000);
        var burst = new short[16000 * 5];
        word.CopyTo(burst, 16000 * 3);
        Assert.False(BurstLevel.IsSilence(burst, 16000));
        Assert.True(BurstLevel.IsSilence(burst.AsSpan(0, 16000 * 3), 16000));
    }

    [Fact]
    public void Levels_are_in_dbfs()
    {
        short[] tone = TestAudio.Tone(16000, 1000, 1, 0.5);
        // A sine's RMS is its peak over √2: 0.5 / √2 is −9.03 dBFS.
        Assert.Equal(-9.03, BurstLevel.LoudestFrameDbfs(tone, 16000), 1);
        Assert.Equal(BurstLevel.Floor, BurstLevel.LoudestFrameDbfs([], 16000));
    }

    private static short[] Scale(short[] pcm, double gainDb)
    {
        double gain = Math.Pow(10, gainDb / 20);
        return pcm.Select(s => (short)Math.Round(s * gain)).ToArray();
    }

    /// <summary>Gaussian white noise at an RMS of <paramref name="dbfs"/>.</summary>
    private static short[] Noise(int count, double dbfs, int seed)
    {
        var random = new Random(seed);
        double rms = 32768 * Math.Pow(10, dbfs / 20);
        var pcm = new short[count];
        for (int i = 0; i < count; i++)
        {
            double gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            pcm[i] = (short)Math.Clamp(Math.Round(gaussian * rms), short.MinValue, short.MaxValue);
        }

        return pcm;
    }
}
