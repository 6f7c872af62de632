using System.Buffers.Binary;

namespace WalkieTalkie.Media.Ogg;

/// <summary>
/// Reads a whole Ogg file that must hold exactly one logical stream: every page's capture pattern, version and
/// CRC are checked, page sequence numbers must not skip, continuation flags must agree with the lacing, and
/// packets spanning pages are joined. A second serial number (multiplexing), a new stream after the end
/// (chaining), a missing end-of-stream page, or bytes after it are refused. Throws only <see cref="MediaFormatException"/>.
/// </summary>
internal static class OggStreamReader
{
    public static OggStream Read(ReadOnlySpan<byte> file, int maxPacketBytes)
    {
        if (file.IsEmpty)
        {
            throw new MediaFormatException(MediaError.Empty, "The file is empty.");
        }

        if (!file.StartsWith(OggPageHeader.CapturePattern))
        {
            string? format = AudioFormatSniffer.NameFileFormat(file);
            throw new MediaFormatException(MediaError.NotOgg, format == null
                ? "Not an Ogg file: it does not start with \"OggS\"."
                : $"Not an Ogg Opus file: it looks like {format}. Only Ogg Opus voice messages are played.");
        }

        var packets = new List<OggPacket>();
        var partial = new MemoryStream();
        bool partialPending = false;
        uint serial = 0;
        long lastGranule = OggPageHeader.NoGranule;
        int pageIndex = 0;
        int position = 0;
        bool ended = false;

        while (position < file.Length)
        {
            var rest = file[position..];
            if (rest.Length < 4 || !rest.StartsWith(OggPageHeader.CapturePattern))
            {
                if (ended)
                {
                    throw new MediaFormatException(MediaError.BrokenPageSequence, $"Unexpected bytes after the end-of-stream page, at byte {position}.");
                }

                throw new MediaFormatException(
                    rest.Length < 4 && OggPageHeader.CapturePattern.StartsWith(rest) ? MediaError.Truncated : MediaError.NotOgg,
                    $"No Ogg page at byte {position}: the file is damaged or truncated.");
            }

            if (rest.Length < OggPageHeader.FixedBytes)
            {
                throw new MediaFormatException(MediaError.Truncated, $"The file ends inside the header of page {pageIndex}.");
            }

            if (rest[4] != 0)
            {
                throw new MediaFormatException(MediaError.UnsupportedOggVersion, $"Page {pageIndex} has Ogg version {rest[4]}; only version 0 exists.");
            }

            byte flags = rest[5];
            long granule = BinaryPrimitives.ReadInt64LittleEndian(rest[6..]);
            uint pageSerial = BinaryPrimitives.ReadUInt32LittleEndian(rest[14..]);
            uint sequence = BinaryPrimitives.ReadUInt32LittleEndian(rest[18..]);
            uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(rest[OggPageHeader.CrcOffset..]);
            int segments = rest[26];
            int headerBytes = OggPageHeader.FixedBytes + segments;
            if (rest.Length < headerBytes)
            {
                throw new MediaFormatException(MediaError.Truncated, $"The file ends inside the lacing values of page {pageIndex}.");
            }

            var lacing = rest[OggPageHeader.FixedBytes..headerBytes];
            int bodyBytes = 0;
            foreach (byte value in lacing)
            {
                bodyBytes += value;
            }

            if (rest.Length < headerBytes + bodyBytes)
            {
                throw new MediaFormatException(MediaError.Truncated, $"Page {pageIndex} claims {bodyBytes} bytes of data but the file ends after {rest.Length - headerBytes}.");
            }

            var page = rest[..(headerBytes + bodyBytes)];
            uint crc = OggCrc.OfPage(page);
            if (crc != storedCrc)
            {
                throw new MediaFormatException(MediaError.BadCrc, $"Page {pageIndex} (byte {position}) fails its CRC check: stored 0x{storedCrc:X8}, computed 0x{crc:X8}.");
            }

            bool beginning = (flags & OggPageHeader.BeginningOfStream) != 0;
            if (pageIndex == 0)
            {
                if (!beginning)
                {
                    throw new MediaFormatException(MediaError.BrokenPageSequence, "The first page is not marked as the beginning of a stream.");
                }

                serial = pageSerial;
            }
            else if (ended)
            {
                throw beginning
                    ? new MediaFormatException(MediaError.ChainedStreams, "The file chains a second stream after the first one ended; only single-stream voice messages are taken.")
                    : new MediaFormatException(MediaError.BrokenPageSequence, $"Page {pageIndex} follows the end-of-stream page.");
            }
            else if (pageSerial != serial)
            {
                throw new MediaFormatException(MediaError.MultiplexedStreams, $"The file multiplexes more than one logical stream (serials 0x{serial:X8} and 0x{pageSerial:X8}); only single-stream voice messages are taken.");
            }
            else if (beginning)
            {
                throw new MediaFormatException(MediaError.BrokenPageSequence, $"Page {pageIndex} is marked as the beginning of the stream again.");
            }

            if (sequence != (uint)pageIndex)
            {
                throw new MediaFormatException(MediaError.BrokenPageSequence, $"Page {pageIndex} carries sequence number {sequence}: pages are missing or out of order.");
            }

            bool continued = (flags & OggPageHeader.Continued) != 0;
            if (continued != partialPending)
            {
                throw new MediaFormatException(MediaError.BrokenPageSequence, continued
                    ? $"Page {pageIndex} continues a packet, but none was left unfinished."
                    : $"Page {pageIndex} starts a new packet while the previous one is unfinished.");
            }

            if (granule != OggPageHeader.NoGranule)
            {
                if (lastGranule != OggPageHeader.NoGranule && granule < lastGranule)
                {
                    throw new MediaFormatException(MediaError.BadGranule, $"The granule position goes backwards on page {pageIndex} ({lastGranule} then {granule}).");
                }

                lastGranule = granule;
            }

            int firstOfPage = packets.Count;
            int bodyAt = headerBytes;
            bool packetStartedHere = !continued;
            foreach (byte value in lacing)
            {
                if (partial.Length + value > maxPacketBytes)
                {
                    throw new MediaFormatException(MediaError.TooLarge, $"A packet on page {pageIndex} grows beyond {maxPacketBytes} bytes.");
                }

                partial.Write(page.Slice(bodyAt, value));
                bodyAt += value;
                if (value < 255)
                {
                    packets.Add(new OggPacket(partial.ToArray(), pageIndex, granule, false, packetStartedHere && packets.Count == firstOfPage));
                    partial.SetLength(0);
                    packetStartedHere = true;
                }
            }

            partialPending = segments > 0 && lacing[^1] == 255;
            if (packets.Count > firstOfPage)
            {
                packets[^1] = packets[^1] with { LastOnPage = true };
            }

            ended = (flags & OggPageHeader.EndOfStream) != 0;
            if (ended && partialPending)
            {
                throw new MediaFormatException(MediaError.Truncated, "The stream ends inside a packet.");
            }

            position += page.Length;
            pageIndex++;
        }

        if (!ended)
        {
            throw new MediaFormatException(MediaError.Truncated, $"The file ends after {pageIndex} pages without an end-of-stream page: it is truncated.");
        }

        return new OggStream(serial, packets, pageIndex, lastGranule);
    }
}
