using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Tests.Audio.Support;

namespace WalkieTalkie.Protocol.Tests.Audio;

/// <summary>WAV files we write are accepted by sox and ffmpeg, and files they write are read by us.</summary>
public sealed class WavInteropTests
{
    public static TheoryData<int> Rates => new(TestClips.Rates);

    [Theory]
    [MemberData(nameof(Rates))]
    public void Sox_and_ffprobe_accept_our_ima_adpcm_files(int rate)
    {
        var clip = TestClips.Get("speech", rate);
        string wav = TestClips.Scratch("ours.wav");
        File.WriteAllBytes(wav, AdpcmWavFile.Encode(clip.Samples, rate, ImaAdpcm.DefaultSamplesPerBlock, new ImaAdpcmEncoder().EncodeBlock));

        string sox = AudioTools.SoxInfo(wav);
        Assert.Contains("IMA ADPCM", sox);
        Assert.Matches($@"Sample Rate\s*:\s*{rate}\b", sox);
        Assert.Matches(@"Channels\s*:\s*1\b", sox);

        string probe = AudioTools.Ffprobe(wav);
        Assert.Contains("codec_name=adpcm_ima_wav", probe);
        Assert.Contains($"sample_rate={rate}", probe);
        Assert.Contains("channels=1", probe);
        Assert.Contains("bits_per_sample=4", probe);
        // ffprobe takes the duration from our fact chunk: the real samples, not the padded last block.
        Assert.Contains($"duration_ts={clip.Samples.Length}", probe);
    }

    [Theory]
    [MemberData(nameof(Rates))]
    public void Sox_and_ffmpeg_read_our_pcm_files_exactly(int rate)
    {
        var clip = TestClips.Get("speech", rate);
        var file = new byte[WavWriter.PcmHeaderBytes + clip.Samples.Length * 2];
        Assert.Equal(WavWriter.PcmHeaderBytes, WavWriter.WritePcmHeader(file, 0, rate, clip.Samples.Length));
        Pcm16.ToBytes(clip.Samples).CopyTo(file, WavWriter.PcmHeaderBytes);
        string wav = TestClips.Scratch("ours-pcm.wav");
        File.WriteAllBytes(wav, file);

        Assert.Contains("Signed Integer PCM", AudioTools.SoxInfo(wav));
        string probe = AudioTools.Ffprobe(wav);
        Assert.Contains("codec_name=pcm_s16le", probe);
        Assert.Contains($"sample_rate={rate}", probe);
        Assert.Equal(clip.Samples, AudioTools.SoxDecode(wav, TestClips.Scratch("sox.raw")));
        Assert.Equal(clip.Samples, AudioTools.FfmpegDecode(wav, TestClips.Scratch("ffmpeg.raw")));
    }

    [Theory]
    [MemberData(nameof(Rates))]
    public void We_read_the_pcm_files_sox_and_ffmpeg_write(int rate)
    {
        var clip = TestClips.Get("tones", rate);
        string soxWav = TestClips.Scratch("sox.wav");
        AudioTools.SoxWritePcmWav(clip.RawPath, rate, soxWav);
        string ffmpegWav = TestClips.Scratch("ffmpeg.wav");
        AudioTools.FfmpegWriteWav(clip.RawPath, rate, "pcm_s16le", ffmpegWav);

        foreach (var wav in new[] { soxWav, ffmpegWav })
        {
            var (info, file) = Read(wav);
            Assert.Equal((WavWriter.PcmFormatTag, rate, clip.Samples.Length), (info.FormatTag, info.SampleRate, info.SampleCount));
            Assert.Equal(clip.Samples, Pcm16.FromBytes(file.AsSpan(info.DataOffset, info.DataLength)));
        }
    }

    [Fact]
    public void We_read_the_extensible_pcm_files_ffmpeg_writes()
    {
        // ffmpeg writes WAVE_FORMAT_EXTENSIBLE (and a LIST chunk) above 48 kHz; the reader reports the rate, callers decide.
        var clip = TestClips.Get("tones", 8000);
        string wav = TestClips.Scratch("ffmpeg-96k.wav");
        ExternalTool.Run("ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "s16le", "-ar", "8000", "-ac", "1", "-i", clip.RawPath, "-ar", "96000", "-c:a", "pcm_s16le", wav);
        var bytes = File.ReadAllBytes(wav);
        Assert.Equal(0xFFFE, bytes[20] | (bytes[21] << 8));

        var (info, file) = Read(wav);
        Assert.Equal((WavWriter.PcmFormatTag, 96000), (info.FormatTag, info.SampleRate));
        Assert.Equal(AudioTools.FfmpegDecode(wav, TestClips.Scratch("ffmpeg.raw")), Pcm16.FromBytes(file.AsSpan(info.DataOffset, info.DataLength)));
    }

    [Theory]
    [MemberData(nameof(Rates))]
    public void We_decode_the_ima_adpcm_files_ffmpeg_writes_as_sox_does(int rate)
    {
        var clip = TestClips.Get("speech", rate);
        string wav = TestClips.Scratch("ffmpeg-ima.wav");
        AudioTools.FfmpegWriteWav(clip.RawPath, rate, "adpcm_ima_wav", wav);

        var (info, _) = Read(wav);
        Assert.True(info.IsImaAdpcm);
        var ours = AdpcmWavFile.Decode(File.ReadAllBytes(wav), wholeBlocks: true);
        var sox = AudioTools.SoxDecode(wav, TestClips.Scratch("sox.raw"));
        Assert.Equal(sox.Length, ours.Length);
        Assert.Equal(-1, SignalToNoise.FirstDifference(sox, ours, ours.Length));
    }

    private static (WavInfo Info, byte[] File) Read(string wav)
    {
        var file = File.ReadAllBytes(wav);
        var info = new WavInfo();
        int result = WavReader.Read(file, file.Length, info);
        Assert.True(result == WavError.Ok, $"{wav}: {WavError.Describe(result)}");
        return (info, file);
    }
}
