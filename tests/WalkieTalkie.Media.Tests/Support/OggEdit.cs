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

    /// <summary>True when some page continues a packet from the one before.</summary>
    public static bool HasContinuedPage(byte[] file) => Pages(file).Any(p => (file[p.Offset + 5] & OggPageHeader.Continued) != 0);
}
