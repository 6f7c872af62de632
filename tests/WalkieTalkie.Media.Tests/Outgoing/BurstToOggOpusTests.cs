using System.Globalization;
using System.Text.RegularExpressions;
using WalkieTalkie.Media.Bursts;
using WalkieTalkie.Media.Opus;
using WalkieTalkie.Media.Tests.Support;
using WalkieTalkie.Media.VoiceMessages;
using Xunit.Abstractions;

namespace WalkieTalkie.Media.Tests.Outgoing;

/// <summary>A badge burst (speech, IMA ADPCM blocks) made into Ogg Opus, judged by opusinfo, ffprobe and opusdec.</summary>
public sealed class BurstToOggOpusTests(ITestOutputHelper log)
{
    /// <summary>
    /// Measured (espeak-ng speech, 24 kbit/s): 0.917 at 8 kHz and 0.958 at 16 kHz through opusdec, 0.910 and 0.958
    /// through our reader; unrelated audio gives about 0. See docs/voice-messages.md.
    /// </summary>
    private const double MinCorrelation = 0.88;

    /// <summary>
    /// A stream coded at 16 kHz (SILK) and decoded at 48 kHz, by libopus as by Concentus, comes out 3 samples at 48 kHz
    /// (one at 16 kHz, half of one at 8 kHz) earlier than at its coded rate: the SILK output resampler's delay is
    /// not the same for every output rate. A wrong pre-skip would show as 104 samples at 16 kHz, a missing one as 0.
    /// </summary>
    private const int MaxLag = 1;

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    public void Real_tools_accept_the_file_and_decode_the_burst(int rate)
    {
        using var folder = new TempFolder();
        short[] speech = TestAudio.Speech(folder, rate);
        byte[] wav = BadgeBurstEncoder.Encode(speech, rate).ToWav();
        short[] burst = BurstWavReader.Read(wav).Samples;
        Assert.Equal(speech.Length, burst.Length);

        VoiceMessage message = VoiceMessageEncoder.FromBurstWav(wav);
        string opus = folder.File("burst.opus");
        File.WriteAllBytes(opus, message.File);

        int preSkip = rate == 8000 ? 52 * 6 : 104 * 3;
        var info = ExternalTool.Check("opusinfo", opus);
        log.WriteLine(info.All);
        Assert.DoesNotContain("warning", info.All, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("error", info.All, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"Pre-skip: {preSkip}", info.All);
        Assert.Contains($"Original sample rate: {rate} Hz", info.All);
        Assert.Contains("Channels: 1", info.All);

        var probe = ExternalTool.Check("ffprobe", "-v", "error", "-show_entries", "format=start_time,duration:stream=codec_name,sample_rate,channels", "-of", "default=nw=1", opus);
        log.WriteLine(probe.Output);
        Assert.Contains("codec_name=opus", probe.Output);
        Assert.Equal(0.0, Field(probe.Output, "start_time"), 6);
        // ffmpeg reports the final granule over 48 kHz as the duration, pre-skip included (an opusenc file of 1.5 s
        // shows 1.5065 too); opusinfo's playback length is the trimmed one.
        Assert.Equal((preSkip + burst.Length * (48000.0 / rate)) / 48000, Field(probe.Output, "duration"), 5);
        Assert.Contains($"Playback length: {PlaybackLength(burst.Length, rate)}", info.All);

        string decodedWav = folder.File("decoded.wav");
        // opusdec (opusfile) always decodes at 48 kHz; its own resampler for --rate shifts the result by a sample at
        // 16 kHz, so we take its 48 kHz output and bring it down with sox's linear-phase (zero delay) filter.
        ExternalTool.Check("opusdec", "--no-dither", opus, decodedWav);
        short[] decoded48k = TestAudio.Pcm(folder, decodedWav, 48000);
        Assert.Equal(burst.Length * (48000 / rate), decoded48k.Length);
        short[] decoded = TestAudio.Pcm(folder, decodedWav, rate);
        Assert.Equal(burst.Length, decoded.Length);

        var (correlation, lag) = Similarity.BestCorrelation(burst, decoded, 40);
        log.WriteLine($"rate {rate}: {message.File.Length} bytes for {message.DurationMilliseconds} ms ({message.File.Length * 8.0 / message.DurationMilliseconds:F1} kbit/s); correlation {Similarity.CorrelationAt(burst, decoded, 0):F4} at lag 0, best {correlation:F4} at lag {lag}");
        Assert.InRange(lag, -MaxLag, MaxLag);
        Assert.True(correlation >= MinCorrelation, $"correlation {correlation:F4} is below {MinCorrelation}");
        Assert.Equal((burst.Length * 1000 + rate / 2) / rate, message.DurationMilliseconds);
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    public void Our_reader_gives_back_every_sample_in_place(int rate)
    {
        using var folder = new TempFolder();
        short[] speech = TestAudio.Speech(folder, rate);
        VoiceMessage message = VoiceMessageEncoder.FromBurst(new BurstAudio(speech, rate));

        OggOpusFile file = OggOpusFile.Read(message.File);
        short[] decoded = OggOpusDecoder.DecodeMono(file, rate);

        Assert.Equal(speech.Length, decoded.Length);
        var (correlation, lag) = Similarity.BestCorrelation(speech, decoded, 40);
        log.WriteLine($"rate {rate}: correlation {Similarity.CorrelationAt(speech, decoded, 0):F4} at lag 0, best {correlation:F4} at lag {lag}");
        Assert.InRange(lag, -MaxLag, MaxLag);
        Assert.True(correlation >= MinCorrelation, $"correlation {correlation:F4} is below {MinCorrelation}");
    }

    [Fact]
    public void A_burst_whose_header_was_never_patched_is_read_to_its_last_whole_block()
    {
        using var folder = new TempFolder();
        short[] speech = TestAudio.Speech(folder, 8000);
        BadgeBurst burst = BadgeBurstEncoder.Encode(speech, 8000);
        byte[] wav = burst.ToWav();
        // What a crash leaves: RIFF and data sizes, and the fact count, still 0; and half a block at the end.
        wav.AsSpan(4, 4).Clear();
        int data = IndexOf(wav, "data"u8);
        wav.AsSpan(data + 4, 4).Clear();
        int fact = IndexOf(wav, "fact"u8);
        wav.AsSpan(fact + 8, 4).Clear();
        byte[] cut = wav[..^(burst.BlockBytes / 2)];

        VoiceMessage message = VoiceMessageEncoder.FromBurstWav(cut);

        int samples = (burst.Blocks.Count - 1) * burst.SamplesPerBlock;
        Assert.Equal((samples + 4) / 8, message.DurationMilliseconds);
        short[] decoded = OggOpusDecoder.DecodeMono(OggOpusFile.Read(message.File), 8000);
        Assert.Equal(samples, decoded.Length);
    }

    [Fact]
    public void The_same_burst_always_gives_the_same_bytes()
    {
        short[] tone = TestAudio.Tone(16000, 440, 1.3, 0.3);
        byte[] first = VoiceMessageEncoder.FromBurst(new BurstAudio(tone, 16000)).File;
        byte[] second = VoiceMessageEncoder.FromBurst(new BurstAudio((short[])tone.Clone(), 16000)).File;
        Assert.Equal(first, second);
    }

    [Fact]
    public void Bitrate_is_about_24_kbit_per_second()
    {
        using var folder = new TempFolder();
        short[] speech = TestAudio.Speech(folder, 16000);
        VoiceMessage message = VoiceMessageEncoder.FromBurst(new BurstAudio(speech, 16000));
        double kbps = message.File.Length * 8.0 / message.DurationMilliseconds;
        log.WriteLine($"{kbps:F1} kbit/s including the container");
        Assert.InRange(kbps, 12, 30);
    }

    /// <summary>opusinfo's "0m:06.369s" (it truncates to the millisecond).</summary>
    private static string PlaybackLength(int samples, int rate)
    {
        long ms = (long)samples * 1000 / rate;
        return $"{ms / 60000}m:{ms % 60000 / 1000:00}.{ms % 1000:000}s";
    }

    private static double Field(string output, string name)
    {
        var match = Regex.Match(output, $"^{name}=(.+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"{name} missing in:\n{output}");
        return double.Parse(match.Groups[1].Value.Trim(), CultureInfo.InvariantCulture);
    }

    private static int IndexOf(byte[] bytes, ReadOnlySpan<byte> what) => bytes.AsSpan().IndexOf(what);
}
