using System.Buffers.Binary;

namespace WalkieTalkie.Media.Opus;

/// <summary>
/// The Opus identification header (RFC 7845 section 5.1), for channel mapping family 0 (mono or stereo).
/// </summary>
/// <param name="Channels">1 or 2.</param>
/// <param name="PreSkip">Samples at 48 kHz to drop from the start of the decoded audio (the encoder's delay).</param>
/// <param name="InputSampleRate">The rate the audio was captured at, informational (the stream always decodes at any Opus rate).</param>
/// <param name="OutputGainQ8">Gain to apply on output, in dB as Q7.8.</param>
public sealed record OpusHead(int Channels, int PreSkip, int InputSampleRate, short OutputGainQ8)
{
    /// <summary>Bytes of an OpusHead for mapping family 0.</summary>
    public const int Length = 19;

    /// <summary>The magic signature at the start of the packet.</summary>
    public static ReadOnlySpan<byte> Magic => "OpusHead"u8;

    /// <summary>The 19-byte packet: version 1, mapping family 0.</summary>
    public byte[] ToPacket()
    {
        var packet = new byte[Length];
        Magic.CopyTo(packet);
        packet[8] = 1;
        packet[9] = (byte)Channels;
        BinaryPrimitives.WriteUInt16LittleEndian(packet.AsSpan(10), (ushort)PreSkip);
        BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(12), (uint)InputSampleRate);
        BinaryPrimitives.WriteInt16LittleEndian(packet.AsSpan(16), OutputGainQ8);
        packet[18] = 0;
        return packet;
    }

    /// <summary>Parses the first packet of a stream. Throws <see cref="MediaFormatException"/> when it is not an OpusHead this path takes.</summary>
    public static OpusHead Parse(ReadOnlySpan<byte> packet)
    {
        if (!packet.StartsWith(Magic))
        {
            string? codec = Ogg.AudioFormatSniffer.NameOggCodec(packet);
            throw new MediaFormatException(MediaError.NotOpus, codec == null
                ? "The Ogg stream does not carry Opus: its first packet is not an OpusHead."
                : $"The Ogg stream carries {codec}, not Opus. Only Ogg Opus voice messages are played.");
        }

        if (packet.Length < Length)
        {
            throw new MediaFormatException(MediaError.BadOpusHeader, $"The OpusHead is {packet.Length} bytes; it needs at least {Length}.");
        }

        int version = packet[8];
        if ((version & 0xF0) != 0)
        {
            throw new MediaFormatException(MediaError.UnsupportedOpusStream, $"OpusHead version {version} is not backwards compatible with version 1.");
        }

        int channels = packet[9];
        int family = packet[18];
        if (family != 0)
        {
            throw new MediaFormatException(MediaError.UnsupportedOpusStream, $"Channel mapping family {family} is not supported; voice messages use family 0 (mono or stereo).");
        }

        if (channels is < 1 or > 2)
        {
            throw new MediaFormatException(MediaError.BadOpusHeader, $"Mapping family 0 allows 1 or 2 channels, the OpusHead says {channels}.");
        }

        return new OpusHead(
            channels,
            BinaryPrimitives.ReadUInt16LittleEndian(packet[10..]),
            (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(packet[12..]), int.MaxValue),
            BinaryPrimitives.ReadInt16LittleEndian(packet[16..]));
    }
}
