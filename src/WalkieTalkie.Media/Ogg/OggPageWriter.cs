using System.Buffers.Binary;

namespace WalkieTalkie.Media.Ogg;

/// <summary>
/// Writes the pages of one logical Ogg stream: packets are laced into segments, pages are numbered,
/// flagged (BOS on the first, EOS on the one <see cref="Flush"/> is told is last) and CRC'd.
/// Packets are added whole; a page holds whole packets only (this writer never splits a packet, so a
/// packet must fit in 255 segments, which every Opus packet and our headers do).
/// </summary>
internal sealed class OggPageWriter
{
    private readonly Stream output;
    private readonly uint serial;
    private readonly List<byte[]> pending = [];
    private int pendingSegments;
    private uint sequence;

    public OggPageWriter(Stream output, uint serial)
    {
        this.output = output;
        this.serial = serial;
    }

    /// <summary>Packets waiting for the next page.</summary>
    public int PendingPackets => pending.Count;

    /// <summary>Segments a packet of <paramref name="length"/> bytes takes: a packet of exactly 255·k bytes needs a trailing 0.</summary>
    public static int SegmentsFor(int length) => length / 255 + 1;

    /// <summary>True when <paramref name="packet"/> still fits on the page being filled.</summary>
    public bool Fits(byte[] packet) => pendingSegments + SegmentsFor(packet.Length) <= OggPageHeader.MaxSegments;

    /// <summary>Queues a packet for the current page. The caller flushes first when it does not <see cref="Fits"/>.</summary>
    public void Add(byte[] packet)
    {
        if (!Fits(packet))
        {
            throw new InvalidOperationException("The packet does not fit on the page: flush first.");
        }

        pending.Add(packet);
        pendingSegments += SegmentsFor(packet.Length);
    }

    /// <summary>Writes the queued packets as one page with <paramref name="granule"/>, the end of the stream when <paramref name="last"/>.</summary>
    public void Flush(long granule, bool last)
    {
        int bodyBytes = pending.Sum(p => p.Length);
        var page = new byte[OggPageHeader.FixedBytes + pendingSegments + bodyBytes];
        OggPageHeader.CapturePattern.CopyTo(page);
        page[4] = 0;
        page[5] = (byte)((sequence == 0 ? OggPageHeader.BeginningOfStream : 0) | (last ? OggPageHeader.EndOfStream : 0));
        BinaryPrimitives.WriteInt64LittleEndian(page.AsSpan(6), granule);
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(14), serial);
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(18), sequence);
        page[26] = (byte)pendingSegments;

        int lacing = OggPageHeader.FixedBytes;
        int body = OggPageHeader.FixedBytes + pendingSegments;
        foreach (byte[] packet in pending)
        {
            for (int left = packet.Length; ; left -= 255)
            {
                page[lacing++] = (byte)Math.Min(left, 255);
                if (left < 255)
                {
                    break;
                }
            }

            packet.CopyTo(page, body);
            body += packet.Length;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(OggPageHeader.CrcOffset), OggCrc.OfPage(page));
        output.Write(page);
        pending.Clear();
        pendingSegments = 0;
        sequence++;
    }
}
