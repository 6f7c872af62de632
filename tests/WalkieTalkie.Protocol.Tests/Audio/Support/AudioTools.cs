namespace WalkieTalkie.Protocol.Tests.Audio.Support;

/// <summary>
/// The independent IMA ADPCM and WAV implementations we check against: sox (its decoder uses the reference
/// computation) and ffmpeg. Raw audio is always signed 16-bit little-endian mono. sox runs with -D: no
/// dither, so its encoder sees exactly the samples ours does.
/// </summary>
public static class AudioTools
{
    private static string[] Raw(int rate) => ["-t", "raw", "-e", "signed-integer", "-b", "16", "-c", "1", "-r", rate.ToString()];

    /// <summary>sox encodes raw audio to an IMA ADPCM WAV with its own block size.</summary>
    public static void SoxEncodeImaAdpcm(string raw, int rate, string wav) =>
        ExternalTool.Run("sox", ["-D", .. Raw(rate), raw, "-e", "ima-adpcm", wav]);

    /// <summary>sox writes raw audio as a 16-bit PCM WAV.</summary>
    public static void SoxWritePcmWav(string raw, int rate, string wav) =>
        ExternalTool.Run("sox", ["-D", .. Raw(rate), raw, "-e", "signed-integer", "-b", "16", wav]);

    /// <summary>sox decodes any WAV it reads to raw samples.</summary>
    public static short[] SoxDecode(string wav, string raw)
    {
        ExternalTool.Run("sox", "-D", wav, "-t", "raw", "-e", "signed-integer", "-b", "16", "-c", "1", raw);
        return Pcm16.ReadRaw(raw);
    }

    /// <summary>What `sox --i` says about a file (it fails on a file it cannot read).</summary>
    public static string SoxInfo(string wav) => ExternalTool.Run("sox", "--i", wav);

    /// <summary>ffmpeg decodes any WAV it reads to raw samples.</summary>
    public static short[] FfmpegDecode(string wav, string raw)
    {
        ExternalTool.Run("ffmpeg", "-v", "error", "-nostdin", "-y", "-i", wav, "-f", "s16le", "-c:a", "pcm_s16le", raw);
        return Pcm16.ReadRaw(raw);
    }

    /// <summary>ffmpeg writes raw audio as a WAV with the given codec (pcm_s16le, adpcm_ima_wav); it adds a LIST chunk.</summary>
    public static void FfmpegWriteWav(string raw, int rate, string codec, string wav) =>
        ExternalTool.Run("ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "s16le", "-ar", rate.ToString(), "-ac", "1", "-i", raw, "-c:a", codec, wav);

    /// <summary>ffmpeg's own IMA ADPCM WAV encoder with a trellis of 2^<paramref name="trellis"/> paths (0..16) and blocks of <paramref name="blockBytes"/> (a power of two).</summary>
    public static void FfmpegEncodeImaAdpcm(string raw, int rate, int trellis, int blockBytes, string wav) =>
        ExternalTool.Run("ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "s16le", "-ar", rate.ToString(), "-ac", "1", "-i", raw,
                         "-c:a", "adpcm_ima_wav", "-trellis", trellis.ToString(), "-block_size", blockBytes.ToString(), wav);

    /// <summary>ffprobe's view of the first stream: codec_name, sample_rate, channels, bits_per_sample, duration_ts (samples), as key=value lines.</summary>
    public static string Ffprobe(string wav) =>
        ExternalTool.Run("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels,bits_per_sample,duration_ts", "-of", "default=noprint_wrappers=1", wav);
}
