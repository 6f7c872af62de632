using WalkieTalkie.Media.Ogg;

namespace WalkieTalkie.Media.Opus;

/// <summary>A parsed Ogg Opus file: its headers, its audio packets and the granule position of its last page.</summary>
/// <param name="Head">The identification header.</param>
/// <param name="Tags">The comment header.</param>
/// <param name="AudioPackets">Every Opus packet after the headers, in order.</param>
/// <param name="FinalGranule">The end-of-stream granule: pre-skip plus the samples to play, at 48 kHz.</param>
public sealed record OggOpusFile(OpusHead Head, OpusTags Tags, IReadOnlyList<byte[]> AudioPackets, long FinalGranule)
{
    /// <summary>The most bytes of a packet we accept: the largest Opus packet (120 ms as 48 frames of 1275 bytes) is below this.</summary>
    public const int MaxAudioPacketBytes = 61_440 + 64;

    /// <summary>The most bytes a comment header may take (cover art in a voice message is not wanted).</summary>
    public const int MaxTagsBytes = 1 << 20;

    /// <summary>
    /// Reads an Ogg Opus file held in memory: one logical stream, OpusHead alone on the first page, OpusTags next
    /// (possibly over several pages), then audio. Throws only <see cref="MediaFormatException"/>.
    /// </summary>
    public static OggOpusFile Read(ReadOnlySpan<byte> file)
    {
        if (file.Length < 4)
        {
            throw new MediaFormatException(MediaError.Empty, $"The file has {file.Length} bytes: too short to be Ogg Opus.");
        }

        OggStream stream = OggStreamReader.Read(file, MaxTagsBytes);
        if (stream.Packets.Count == 0)
        {
            throw new MediaFormatException(MediaError.NotOpus, "The Ogg stream holds no packets.");
        }

        OggPacket first = stream.Packets[0];
        var head = OpusHead.Parse(first.Data);
        if (first.PageIndex != 0 || !first.LastOnPage)
        {
            throw new MediaFormatException(MediaError.BadOpusHeader, "The OpusHead must be alone on the first page.");
        }

        if (stream.Packets.Count < 2)
        {
            throw new MediaFormatException(MediaError.BadOpusHeader, "The Opus stream has no OpusTags header.");
        }

        var tags = OpusTags.Parse(stream.Packets[1].Data);
        var audio = new List<byte[]>(stream.Packets.Count - 2);
        for (int i = 2; i < stream.Packets.Count; i++)
        {
            byte[] packet = stream.Packets[i].Data;
            if (packet.Length > MaxAudioPacketBytes)
            {
                throw new MediaFormatException(MediaError.TooLarge, $"Audio packet {i - 2} has {packet.Length} bytes, more than any Opus packet can.");
            }

            audio.Add(packet);
        }

        if (stream.FinalGranule < head.PreSkip)
        {
            throw new MediaFormatException(MediaError.BadGranule, $"The final granule position {stream.FinalGranule} lies before the pre-skip {head.PreSkip}.");
        }

        return new OggOpusFile(head, tags, audio, stream.FinalGranule);
    }
}
