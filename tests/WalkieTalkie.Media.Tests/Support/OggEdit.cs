using System.Buffers.Binary;
using WalkieTalkie.Media.Ogg;

namespace WalkieTalkie.Media.Tests.Support;

/// <summary>Finds and rewrites the pages of an Ogg file, to damage files on purpose.</summary>
internal static class OggEdit
{
    /// <summary>Where each page starts and how long it is.</summary>
    public static List<(int Offset, int Length)> Pages(byte[] file)
    {
        var pages = new List<(int, int)>();
        for (int at = 0; at + OggPageHeader.FixedBytes <= file.Length;)
        {
            int segments = file[at + 26];
            int length = OggPageHeader.FixedBytes + segments;
            for (int i = 0; i < segments; i++)
            {
                length += file[at + OggPageHeader.FixedBytes + i];
            }

            pages.Add((at, length));
            at += length;
        }

        return pages;
    }

    /// <summary>Recomputes the CRC of every page, so that damage reaches the layers past the CRC check.</summary>
    public static void FixCrcs(byte[] file)
    {
        foreach (var (offset, length) in Pages(file))
        {
            if (offset + length > file.Length)
            {
                break;
            }

            var page = file.AsSpan(offset, length);
            page.Slice(OggPageHeader.CrcOffset, 4).Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(page[OggPageHeader.CrcOffset..], OggCrc.OfPage(page));
        }
    }

    /// <summary>
    /// Rewrites the audio of an Ogg Opus file onto pages of at most <paramref name="segmentsPerPage"/> lacing values,
    /// splitting packets across pages wherever a page fills up (as libogg does); the header pages are kept. Each
    /// page's granule counts the 48 kHz samples of the packets completed on it, −1 when none completes; the last page
    /// keeps the original's final granule.
    /// </summary>
    public static byte[] Repaginate(byte[] file, int segmentsPerPage)
    {
        var pages = Pages(file);
        var parsed = WalkieTalkie.Media.Opus.OggOpusFile.Read(file);
        long finalGranule = parsed.FinalGranule;
        int audioStart = pages[2].Offset;
        uint serial = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(14));

        var lacing = new List<(byte Value, int PacketEnd)>();
        var body = new List<byte>();
        long samples = 0;
        var packetGranules = new List<long>();
        foreach (byte[] packet in parsed.AudioPackets)
        {
            samples += Concentus.Structs.OpusPacketInfo.GetNumSamples(packet, 48000);
            packetGranules.Add(samples);
            for (int left = packet.Length; ; left -= 255)
            {
                lacing.Add(((byte)Math.Min(left, 255), left < 255 ? packetGranules.Count - 1 : -1));
                if (left < 255)
                {
                    break;
                }
            }

            body.AddRange(packet);
        }

        var output = new MemoryStream();
        output.Write(file, 0, audioStart);
        int bodyAt = 0;
        uint sequence = 2;
        bool continued = false;
        for (int first = 0; first < lacing.Count; first += segmentsPerPage, sequence++)
        {
            var values = lacing.Skip(first).Take(segmentsPerPage).ToList();
            bool last = first + values.Count == lacing.Count;
            int completed = values.Select(v => v.PacketEnd).LastOrDefault(end => end >= 0, -1);
            long granule = last ? finalGranule : completed >= 0 ? packetGranules[completed] : -1;
            int bytes = values.Sum(v => v.Value);
            var page = new byte[27 + values.Count + bytes];
            "OggS"u8.CopyTo(page);
            page[5] = (byte)((continued ? 1 : 0) | (last ? 4 : 0));
            BinaryPrimitives.WriteInt64LittleEndian(page.AsSpan(6), granule);
            BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(14), serial);
            BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(18), sequence);
            page[26] = (byte)values.Count;
            for (int i = 0; i < values.Count; i++)
            {
                page[27 + i] = values[i].Value;
            }

            body.CopyTo(bodyAt, page, 27 + values.Count, bytes);
            bodyAt += bytes;
            continued = values[^1].Value == 255;
            output.Write(page);
        }

        byte[] result = output.ToArray();
        FixCrcs(result);
        return result;
    }

    /// <summary>True when some page continues a packet from the one before.</summary>
    public static bool HasContinuedPage(byte[] file) => Pages(file).Any(p => (file[p.Offset + 5] & OggPageHeader.Continued) != 0);
}
