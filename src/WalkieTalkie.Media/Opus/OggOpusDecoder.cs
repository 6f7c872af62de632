using Concentus;
using Concentus.Structs;

namespace WalkieTalkie.Media.Opus;

/// <summary>
/// Decodes an <see cref="OggOpusFile"/> to mono 16-bit PCM at an Opus rate (8, 12, 16, 24 or 48 kHz).
/// The rate change happens inside the Opus decoder, which is built for it: CELT drops the bands above the
/// output's Nyquist frequency before its inverse transform and SILK synthesises at its own rate and resamples
/// with its own filters, so there is no second filter and nothing aliases. Stereo is decoded as two channels and
/// averaged. The pre-skip is dropped and the end is trimmed to the final granule position; the OpusHead's
/// output gain is applied.
/// </summary>
public static class OggOpusDecoder
{
    /// <summary>The longest voice message decoded by default: ten minutes.</summary>
    public static readonly TimeSpan DefaultMaxDuration = TimeSpan.FromMinutes(10);

    /// <summary>Decodes to mono at <paramref name="outputRate"/>. Throws only <see cref="MediaFormatException"/>.</summary>
    public static short[] DecodeMono(OggOpusFile file, int outputRate, TimeSpan? maxDuration = null)
    {
        if (!ManagedOpus.IsOpusRate(outputRate))
        {
            throw new MediaFormatException(MediaError.UnsupportedSampleRate, $"Opus decodes to 8000, 12000, 16000, 24000 or 48000 Hz, not {outputRate}.");
        }

        int channels = file.Head.Channels;
        int scale = 48000 / outputRate;
        long maxSamples = (long)((maxDuration ?? DefaultMaxDuration).TotalSeconds * outputRate);
        long preSkip = file.Head.PreSkip / scale;
        long wanted = (file.FinalGranule - file.Head.PreSkip) / scale;
        if (wanted > maxSamples)
        {
            throw new MediaFormatException(MediaError.TooLarge, $"The voice message lasts {wanted / outputRate} s, longer than the {maxSamples / outputRate} s allowed.");
        }

        IOpusDecoder decoder = ManagedOpus.CreateDecoder(outputRate, channels);
        int maxFrame = outputRate * 120 / 1000;
        var frame = new short[maxFrame * channels];
        var mono = new List<short>((int)Math.Min(wanted + preSkip + maxFrame, maxSamples + preSkip + maxFrame));
        double gain = Math.Pow(10, file.Head.OutputGainQ8 / (20.0 * 256));
        int lastFrameSize = outputRate / 50;

        for (int index = 0; index < file.AudioPackets.Count && mono.Count < preSkip + wanted; index++)
        {
            byte[] packet = file.AudioPackets[index];
            int samples = Decode(decoder, packet, frame, maxFrame, lastFrameSize, index);
            lastFrameSize = samples;
            for (int i = 0; i < samples; i++)
            {
                double value = channels == 1 ? frame[i] : (frame[2 * i] + frame[2 * i + 1]) / 2.0;
                value *= gain;
                mono.Add((short)Math.Clamp(Math.Round(value), short.MinValue, short.MaxValue));
            }
        }

        int start = (int)Math.Min(preSkip, mono.Count);
        int count = (int)Math.Min(wanted, mono.Count - start);
        return mono.GetRange(start, count).ToArray();
    }

    private static int Decode(IOpusDecoder decoder, byte[] packet, short[] frame, int maxFrame, int lastFrameSize, int index)
    {
        try
        {
            if (packet.Length == 0)
            {
                // RFC 7845: a zero-length packet marks a lost one; conceal it with the previous packet's duration.
                return decoder.Decode(ReadOnlySpan<byte>.Empty, frame, lastFrameSize, false);
            }

            int samples = OpusPacketInfo.GetNumSamples(packet, decoder.SampleRate);
            if (samples <= 0 || samples > maxFrame)
            {
                throw new MediaFormatException(MediaError.CorruptAudio, $"Audio packet {index} has an invalid table of contents (duration {samples} samples).");
            }

            int decoded = decoder.Decode(packet, frame, maxFrame, false);
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
