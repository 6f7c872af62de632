using System.Buffers.Binary;
using WalkieTalkie.Media.Bursts;
using WalkieTalkie.Media.Ogg;
using WalkieTalkie.Media.Opus;
using WalkieTalkie.Media.Tests.Support;
using WalkieTalkie.Media.VoiceMessages;

namespace WalkieTalkie.Media.Tests.Ogg;

/// <summary>The container we write, page by page, against RFC 3533 and RFC 7845.</summary>
public sealed class OggContainerTests
{
    [Theory]
    [InlineData(8000, 2.37)]
    [InlineData(16000, 3.01)]
    public void Our_pages_have_the_flags_granules_and_headers_the_rfcs_ask_for(int rate, double seconds)
    {
        short[] tone = TestAudio.Tone(rate, 300, seconds, 0.3);
        byte[] file = VoiceMessageEncoder.FromBurst(new BurstAudio(tone, rate)).File;
        var pages = OggEdit.Pages(file);
        Assert.Equal(file.Length, pages[^1].Offset + pages[^1].Length);

        byte Flags(int page) => file[pages[page].Offset + 5];
        long Granule(int page) => BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(pages[page].Offset + 6));
        uint Sequence(int page) => BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pages[page].Offset + 18));

        Assert.Equal(0x02, Flags(0));
        Assert.Equal(0, Granule(0));
        Assert.Equal(1, file[pages[0].Offset + 26]);
        Assert.Equal(19, file[pages[0].Offset + 27]);
        Assert.Equal("OpusHead"u8.ToArray(), file.AsSpan(28, 8).ToArray());
        Assert.Equal(0, Granule(1));
        Assert.Equal(0, Flags(1));
        Assert.Equal("OpusTags"u8.ToArray(), file.AsSpan(pages[1].Offset + 27 + file[pages[1].Offset + 26], 8).ToArray());

        int preSkip = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(28 + 10));
        Assert.Equal(312, preSkip);
        Assert.Equal(rate, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(28 + 12)));

        long previous = 0;
        for (int page = 2; page < pages.Count; page++)
        {
            Assert.Equal((uint)page, Sequence(page));
            Assert.Equal(page == pages.Count - 1 ? 0x04 : 0x00, Flags(page));
            Assert.True(Granule(page) > previous, $"page {page}: granule {Granule(page)} after {previous}");
            if (page < pages.Count - 1)
            {
                // 20 ms packets counted from 0 at 48 kHz: a whole number of packets.
                Assert.Equal(0, Granule(page) % 960);
            }

            previous = Granule(page);
        }

        Assert.Equal(preSkip + (long)tone.Length * (48000 / rate), Granule(pages.Count - 1));
        var parsed = OggOpusFile.Read(file);
        Assert.True((long)parsed.AudioPackets.Count * 960 >= preSkip + (long)tone.Length * (48000 / rate), "enough audio is coded for pre-skip plus every sample");
        Assert.True((long)(parsed.AudioPackets.Count - 1) * 960 < preSkip + (long)tone.Length * (48000 / rate), "no more than one frame of padding");
    }

    [Fact]
    public void Lacing_of_awkward_packet_sizes_round_trips()
    {
        int[] sizes = [0, 1, 254, 255, 256, 510, 1275, 65024, 3, 255];
        var output = new MemoryStream();
        var writer = new OggPageWriter(output, 0x1234);
        var packets = sizes.Select((size, i) => Enumerable.Range(0, size).Select(b => (byte)(b * 7 + i)).ToArray()).ToList();
        foreach (byte[] packet in packets)
        {
            if (!writer.Fits(packet))
            {
                writer.Flush(-1, last: false);
            }

            writer.Add(packet);
        }

        writer.Flush(4242, last: true);
        byte[] file = output.ToArray();

        var pages = OggEdit.Pages(file);
        Assert.All(pages, p => Assert.True(file[p.Offset + 26] <= 255));
        // The 255-byte packet takes two lacing values, 255 then 0.
        int firstLacing = pages[0].Offset + 27;
        Assert.Equal(new byte[] { 0, 1, 254, 255, 0, 255, 1 }, file.AsSpan(firstLacing, 7).ToArray());

        OggStream stream = OggStreamReader.Read(file, 1 << 20);
        Assert.Equal(packets.Count, stream.Packets.Count);
        for (int i = 0; i < packets.Count; i++)
        {
            Assert.Equal(packets[i], stream.Packets[i].Data);
        }

        Assert.Equal(4242, stream.FinalGranule);
        Assert.Equal(0x1234u, stream.Serial);
    }

    [Fact]
    public void The_crc_is_the_ogg_one_not_zlibs()
    {
        // RFC 3533's CRC: polynomial 0x04C11DB7, not reflected, initial 0, no final XOR. That is the catalogued
        // CRC-32/CKSUM (POSIX cksum; check value 0x765E7680 over "123456789") without its final XOR with
        // 0xFFFFFFFF. The page CRCs of opusenc's files, read in the Incoming tests, are the real-world check.
        uint crc = OggCrc.Update(0, "123456789"u8);
        Assert.Equal(0x89A1897Fu, crc);
    }
}
