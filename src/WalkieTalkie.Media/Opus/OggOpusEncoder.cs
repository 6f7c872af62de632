using Concentus.Enums;
using WalkieTalkie.Media.Ogg;

namespace WalkieTalkie.Media.Opus;

/// <summary>
/// Encodes mono 16-bit PCM into a complete Ogg Opus file (RFC 7845) with Concentus's managed encoder at the PCM's
/// own rate, and writes the container itself:
/// <list type="bullet">
/// <item>page 0 (BOS, granule 0): OpusHead only, pre-skip = the encoder's lookahead in 48 kHz samples, input rate;</item>
/// <item>page 1 (granule 0): OpusTags only;</item>
/// <item>audio pages: granule = 48 kHz samples of every packet completed so far, counted from 0 (so the pre-skip is included);</item>
/// <item>the last page: EOS, granule = pre-skip + input samples × 48000 / rate (end trimming).</item>
/// </list>
/// Enough frames are encoded for the decoder to produce pre-skip + every input sample: the input is padded with
/// silence by the lookahead and rounded up to whole frames.
/// </summary>
public static class OggOpusEncoder
{
    /// <summary>Encodes <paramref name="pcm"/> (mono, at <paramref name="sampleRate"/>: 8000, 12000, 16000, 24000 or 48000).</summary>
    /// <returns>The Ogg Opus file.</returns>
    public static byte[] Encode(ReadOnlySpan<short> pcm, int sampleRate, OpusEncoderSettings? settings = null)
    {
        if (!ManagedOpus.IsOpusRate(sampleRate))
        {
            throw new MediaFormatException(MediaError.UnsupportedSampleRate, $"Opus encodes at 8000, 12000, 16000, 24000 or 48000 Hz, not {sampleRate}.");
        }

        settings ??= new OpusEncoderSettings();
        var encoder = ManagedOpus.CreateEncoder(sampleRate, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        encoder.Bitrate = settings.Bitrate;
        encoder.Complexity = settings.Complexity;
        encoder.SignalType = OpusSignal.OPUS_SIGNAL_VOICE;
        encoder.UseVBR = true;

        int scale = 48000 / sampleRate;
        int frame = sampleRate * OpusEncoderSettings.FrameMilliseconds / 1000;
        int lookahead = encoder.Lookahead;
        int preSkip = lookahead * scale;
        int frames = (pcm.Length + lookahead + frame - 1) / frame;
        if (frames == 0)
        {
            frames = 1;
        }

        var padded = new short[frames * frame];
        pcm.CopyTo(padded);

        var file = new MemoryStream((int)Math.Min(int.MaxValue, 4096 + (long)pcm.Length * settings.Bitrate / 8 / sampleRate));
        var pages = new OggPageWriter(file, SerialFor(pcm, sampleRate));
        pages.Add(new OpusHead(1, preSkip, sampleRate, 0).ToPacket());
        pages.Flush(0, last: false);
        pages.Add(new OpusTags(settings.Vendor, []).ToPacket());
        pages.Flush(0, last: false);

        long endGranule = preSkip + (long)pcm.Length * scale;
        long granule = 0;
        var packet = new byte[1275];
        for (int i = 0; i < frames; i++)
        {
            int length = encoder.Encode(padded.AsSpan(i * frame, frame), frame, packet, packet.Length);
            byte[] bytes = packet.AsSpan(0, length).ToArray();
            if (pages.PendingPackets >= settings.PacketsPerPage || !pages.Fits(bytes))
            {
                pages.Flush(granule, last: false);
            }

            pages.Add(bytes);
            granule += frame * scale;
        }

        // The last page holds at least the last packet, whose start lies before the trimmed end (the padding is
        // less than one frame plus the lookahead), so the trimmed granule still exceeds the previous page's.
        pages.Flush(endGranule, last: true);
        return file.ToArray();
    }

    /// <summary>A serial derived from the audio, so one burst always gives the same bytes.</summary>
    private static uint SerialFor(ReadOnlySpan<short> pcm, int sampleRate)
    {
        uint crc = OggCrc.Update((uint)sampleRate, System.Runtime.InteropServices.MemoryMarshal.AsBytes(pcm));
        return crc ^ (uint)pcm.Length;
    }
}
