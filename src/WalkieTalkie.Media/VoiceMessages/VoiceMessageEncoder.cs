using WalkieTalkie.Media.Bursts;
using WalkieTalkie.Media.Levels;
using WalkieTalkie.Media.Opus;
using WalkieTalkie.Media.Waveform;

namespace WalkieTalkie.Media.VoiceMessages;

/// <summary>Badge burst to Matrix: a recorded burst becomes a <see cref="VoiceMessage"/>.</summary>
public static class VoiceMessageEncoder
{
    /// <summary>
    /// Transcodes a burst recording (mono IMA ADPCM or PCM WAV at 8 or 16 kHz, header possibly never patched) to
    /// Ogg Opus and measures its duration, waveform and level. Throws only <see cref="MediaFormatException"/> for bad input.
    /// </summary>
    public static VoiceMessage FromBurstWav(byte[] wav, OpusEncoderSettings? settings = null, double silenceThresholdDbfs = BurstLevel.DefaultSilenceThresholdDbfs)
        => FromBurst(BurstWavReader.Read(wav), settings, silenceThresholdDbfs);

    /// <summary>Transcodes decoded burst audio (8 or 16 kHz; any Opus rate works).</summary>
    public static VoiceMessage FromBurst(BurstAudio burst, OpusEncoderSettings? settings = null, double silenceThresholdDbfs = BurstLevel.DefaultSilenceThresholdDbfs)
    {
        ArgumentNullException.ThrowIfNull(burst);
        byte[] file = OggOpusEncoder.Encode(burst.Samples, burst.SampleRate, settings);
        double loudest = BurstLevel.LoudestFrameDbfs(burst.Samples, burst.SampleRate);
        return new VoiceMessage(
            file,
            burst.DurationMilliseconds,
            WaveformThumbnail.Compute(burst.Samples),
            burst.SampleRate,
            loudest,
            loudest < silenceThresholdDbfs);
    }
}
