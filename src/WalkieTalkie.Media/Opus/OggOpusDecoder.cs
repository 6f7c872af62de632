using Concentus;
using Concentus.Structs;
using WalkieTalkie.Media.Resampling;

namespace WalkieTalkie.Media.Opus;

/// <summary>
/// Decodes an <see cref="OggOpusFile"/> to mono 16-bit PCM. Opus is decoded at 48 kHz (as opusdec does; Concentus
/// 2.2.2 decodes hybrid super-/full-band packets to silence when asked for 8 or 16 kHz), stereo is averaged to
/// mono, the OpusHead's output gain is applied, the pre-skip is dropped and the end trimmed to the final granule
/// position, all at 48 kHz where those counts are exact; then <see cref="ChannelResampler"/> brings the result to
/// the rate asked for.
/// </summary>
public static class OggOpusDecoder
{
    /// <summary>The longest voice message decoded by default: ten minutes.</summary>
    public static readonly TimeSpan DefaultMaxDuration = TimeSpan.FromMinutes(10);

    private const int OpusRate = 48000;

    /// <summary>The most samples per channel one Opus packet decodes to at 48 kHz (120 ms).</summary>
    private const int MaxPacketSamples = OpusRate * 120 / 1000;

    /// <summary>Decodes to mono at <paramref name="outputRate"/> (8000 to 48000 Hz). Throws only <see cref="MediaFormatException"/>.</summary>
    public static short[] DecodeMono(OggOpusFile file, int outputRate, TimeSpan? maxDuration = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (outputRate is < 8000 or > OpusRate)
        {
            throw new MediaFormatException(MediaError.UnsupportedSampleRate, $"Voice messages are decoded to 8000 to 48000 Hz, not {outputRate}.");
        }

        short[] full = DecodeMono48k(file, maxDuration ?? DefaultMaxDuration);
        return ChannelResampler.Resample(full, OpusRate, outputRate);
    }

    /// <summary>Decodes to mono at 48 kHz, pre-skip dropped and end trimmed. Throws only <see cref="MediaFormatException"/>.</summary>
    public static short[] DecodeMono48k(OggOpusFile file, TimeSpan maxDuration)
    {
        ArgumentNullException.ThrowIfNull(file);
        int channels = file.Head.Channels;
        long maxSamples = (long)(maxDuration.TotalSeconds * OpusRate);

        // The packets' table-of-contents bytes say how much audio they hold: check that before decoding anything,
        // so a file claiming hours of audio costs nothing.
        long decodable = 0;
        for (int index = 0; index < file.AudioPackets.Count; index++)
        {
            decodable += PacketSamples(file.AudioPackets, index);
            if (decodable - file.Head.PreSkip > maxSamples)
            {
                throw new MediaFormatException(MediaError.TooLarge, $"The voice message lasts longer than the {maxDuration.TotalSeconds:0} s allowed.");
            }
        }

        // RFC 7845 end trimming: the final granule counts the samples to play, pre-skip included. A final granule
        // beyond the audio present cannot add audio; we play what there is.
        long end = Math.Min(file.FinalGranule, decodable);
        if (end <= file.Head.PreSkip)
        {
            return [];
        }

        IOpusDecoder decoder = ManagedOpus.CreateDecoder(OpusRate, channels);
        var frame = new short[MaxPacketSamples * channels];
        var mono = new short[end - file.Head.PreSkip];
        double gain = Math.Pow(10, file.Head.OutputGainQ8 / (20.0 * 256));
        long position = 0;
        int lastFrameSize = OpusRate / 50;

        for (int index = 0; index < file.AudioPackets.Count && position < end; index++)
        {
            int samples = Decode(decoder, file.AudioPackets[index], frame, lastFrameSize, index);
            lastFrameSize = samples;
            for (int i = 0; i < samples && position < end; i++, position++)
            {
                if (position < file.Head.PreSkip)
                {
                    continue;
                }

                double value = channels == 1 ? frame[i] : (frame[2 * i] + frame[2 * i + 1]) / 2.0;
                mono[position - file.Head.PreSkip] = (short)Math.Clamp(Math.Round(value * gain), short.MinValue, short.MaxValue);
            }
        }

        return mono;
    }

    private static int PacketSamples(IReadOnlyList<byte[]> packets, int index)
    {
        byte[] packet = packets[index];
        if (packet.Length == 0)
        {
            // RFC 7845: a zero-length packet stands for a lost one; it is concealed with the previous packet's length.
            return index == 0 ? OpusRate / 50 : PacketSamples(packets, index - 1);
        }

        int samples;
        try
        {
            samples = OpusPacketInfo.GetNumSamples(packet, OpusRate);
        }
        catch (Exception exception) when (exception is not MediaFormatException)
        {
            throw new MediaFormatException(MediaError.CorruptAudio, $"Audio packet {index} has an invalid table of contents: {exception.Message}", exception);
        }

        if (samples <= 0 || samples > MaxPacketSamples)
        {
            throw new MediaFormatException(MediaError.CorruptAudio, $"Audio packet {index} has an invalid table of contents (duration {samples} samples at 48 kHz).");
        }

        return samples;
    }

    private static int Decode(IOpusDecoder decoder, byte[] packet, short[] frame, int lastFrameSize, int index)
    {
        try
        {
            if (packet.Length == 0)
            {
                return decoder.Decode(ReadOnlySpan<byte>.Empty, frame, lastFrameSize, false);
            }

            int decoded = decoder.Decode(packet, frame, MaxPacketSamples, false);
            if (decoded <= 0)
            {
                throw new MediaFormatException(MediaError.CorruptAudio, $"Audio packet {index} could not be decoded (error {decoded}).");
            }

            return decoded;
        }
        catch (MediaFormatException)
        {
            throw;
        }
        catch (Exception exception)
        {
            // Concentus reports bad packets with OpusException, and a hostile one may trip an index check deep in
            // the decoder: either way the packet is corrupt, and the caller gets the one documented error.
            throw new MediaFormatException(MediaError.CorruptAudio, $"Audio packet {index} is corrupt: {exception.Message}", exception);
        }
    }
}
