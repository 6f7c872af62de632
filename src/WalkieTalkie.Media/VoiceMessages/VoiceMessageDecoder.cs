using WalkieTalkie.Media.Bursts;
using WalkieTalkie.Media.Opus;
using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Media.VoiceMessages;

/// <summary>Matrix to badges: a phone's voice message (Ogg Opus, mono or stereo, any rate) becomes ADPCM blocks.</summary>
public static class VoiceMessageDecoder
{
    /// <summary>
    /// Reads, decodes (at <paramref name="channelRate"/>, mixed to mono) and ADPCM-encodes a voice message.
    /// Anything that is not a single-stream Ogg Opus file (mp3, m4a, damaged or truncated files) is refused with
    /// <see cref="MediaFormatException"/>, the only exception thrown for bad bytes.
    /// </summary>
    public static BadgeBurst ToBadgeBurst(ReadOnlySpan<byte> oggOpus, int channelRate, int samplesPerBlock = ImaAdpcm.DefaultSamplesPerBlock, TimeSpan? maxDuration = null)
    {
        short[] pcm = ToPcm(oggOpus, channelRate, maxDuration);
        return BadgeBurstEncoder.Encode(pcm, channelRate, samplesPerBlock);
    }

    /// <summary>Reads and decodes a voice message to mono PCM at <paramref name="channelRate"/> (8000 or 16000).</summary>
    public static short[] ToPcm(ReadOnlySpan<byte> oggOpus, int channelRate, TimeSpan? maxDuration = null)
    {
        if (channelRate is not (8000 or 16000))
        {
            throw new ArgumentOutOfRangeException(nameof(channelRate), channelRate, "A channel runs at 8000 or 16000 Hz.");
        }

        OggOpusFile file = OggOpusFile.Read(oggOpus);
        return OggOpusDecoder.DecodeMono(file, channelRate, maxDuration);
    }
}
