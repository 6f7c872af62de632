using System.Buffers.Binary;
using System.Text;

namespace WalkieTalkie.Media.Opus;

/// <summary>The Opus comment header (RFC 7845 section 5.2): a vendor string and user comments ("TAG=value").</summary>
/// <param name="Vendor">Who wrote the stream.</param>
/// <param name="Comments">The user comments.</param>
public sealed record OpusTags(string Vendor, IReadOnlyList<string> Comments)
{
    /// <summary>The magic signature at the start of the packet.</summary>
    public static ReadOnlySpan<byte> Magic => "OpusTags"u8;

    /// <summary>The packet: magic, vendor, comments, all lengths u32 little-endian.</summary>
    public byte[] ToPacket()
    {
        var output = new MemoryStream();
        output.Write(Magic);
        WriteString(output, Vendor);
        Span<byte> count = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(count, (uint)Comments.Count);
        output.Write(count);
        foreach (string comment in Comments)
        {
            WriteString(output, comment);
        }

        return output.ToArray();
    }

    private static void WriteString(Stream output, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)bytes.Length);
        output.Write(length);
        output.Write(bytes);
    }

    /// <summary>Parses the second packet of a stream. Throws <see cref="MediaFormatException"/> when it is malformed.</summary>
    public static OpusTags Parse(ReadOnlySpan<byte> packet)
    {
        if (!packet.StartsWith(Magic))
        {
            throw new MediaFormatException(MediaError.BadOpusHeader, "The second packet of the Opus stream is not an OpusTags header.");
        }

        int at = Magic.Length;
        string vendor = ReadString(packet, ref at, "vendor string");
        uint count = ReadLength(packet, ref at, "comment count");
        // Each comment takes at least its 4-byte length, which bounds a hostile count before anything is allocated.
        if (count > (packet.Length - at) / 4)
        {
            throw new MediaFormatException(MediaError.BadOpusHeader, $"The OpusTags header claims {count} comments, more than its {packet.Length} bytes can hold.");
        }

        var comments = new List<string>((int)count);
        for (uint i = 0; i < count; i++)
        {
            comments.Add(ReadString(packet, ref at, "comment"));
        }

        return new OpusTags(vendor, comments);
    }

    private static uint ReadLength(ReadOnlySpan<byte> packet, ref int at, string what)
    {
        if (packet.Length - at < 4)
        {
            throw new MediaFormatException(MediaError.BadOpusHeader, $"The OpusTags header ends before its {what}.");
        }

        uint value = BinaryPrimitives.ReadUInt32LittleEndian(packet[at..]);
        at += 4;
        return value;
    }

    private static string ReadString(ReadOnlySpan<byte> packet, ref int at, string what)
    {
        uint length = ReadLength(packet, ref at, what + " length");
        if (length > (uint)(packet.Length - at))
        {
            throw new MediaFormatException(MediaError.BadOpusHeader, $"The OpusTags {what} claims {length} bytes, past the end of the header.");
        }

        string value = Encoding.UTF8.GetString(packet.Slice(at, (int)length));
        at += (int)length;
        return value;
    }
}
