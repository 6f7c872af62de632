using System.Buffers.Binary;
using FsCheck.Xunit;
using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Protocol.Tests.Audio;

public sealed class WavReaderWriterTests
{
    private static byte[] ImaFile(int blocks, int samples, int blockBytes = 164, int rate = 8000, int extraData = 0)
    {
        var file = new byte[WavWriter.ImaAdpcmHeaderBytes + blocks * blockBytes + extraData];
        Assert.Equal(WavWriter.ImaAdpcmHeaderBytes, WavWriter.WriteImaAdpcmHeader(file, 0, rate, blockBytes, blocks, samples));
        return file;
    }

    private static WavInfo Read(byte[] file, int expected = WavError.Ok)
    {
        var info = new WavInfo();
        int result = WavReader.Read(file, file.Length, info);
        Assert.True(expected == result, $"expected {WavError.Describe(expected)}, got {WavError.Describe(result)}");
        return info;
    }

    /// <summary>A RIFF chunk: id, little-endian size, body, and the pad byte an odd body needs.</summary>
    private static byte[] Chunk(string id, byte[] body, int? declaredSize = null)
    {
        var chunk = new byte[8 + body.Length + (body.Length & 1)];
        System.Text.Encoding.ASCII.GetBytes(id).CopyTo(chunk, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), (uint)(declaredSize ?? body.Length));
        body.CopyTo(chunk, 8);
        return chunk;
    }

    private static byte[] Riff(params byte[][] chunks)
    {
        var body = chunks.SelectMany(c => c).ToArray();
        var riff = new byte[12 + body.Length];
        System.Text.Encoding.ASCII.GetBytes("RIFF").CopyTo(riff, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(riff.AsSpan(4), (uint)(4 + body.Length));
        System.Text.Encoding.ASCII.GetBytes("WAVE").CopyTo(riff, 8);
        body.CopyTo(riff, 12);
        return riff;
    }

    private static byte[] PcmFormat(int channels = 1, int bits = 16, int rate = 8000, int tag = 1)
    {
        var fmt = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(fmt, (ushort)tag);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(4), (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(8), (uint)(rate * channels * bits / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(12), (ushort)(channels * bits / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(14), (ushort)bits);
        return fmt;
    }

    private static byte[] ExtensibleFormat(ushort subformatTag, ushort validBits = 16)
    {
        var fmt = new byte[40];
        PcmFormat(tag: 0xFFFE).CopyTo(fmt, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(16), 22);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(18), validBits);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(20), 4);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(24), subformatTag);
        new byte[] { 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 }.CopyTo(fmt, 26);
        return fmt;
    }

    [Fact]
    public void Ima_header_has_the_microsoft_layout_and_reads_back()
    {
        var file = ImaFile(blocks: 3, samples: 900);

        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(file, 0, 4));
        Assert.Equal((uint)(file.Length - 8), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4)));
        Assert.Equal(20u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(16)));
        Assert.Equal(0x11, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(20)));
        Assert.Equal(8000u * 164 / 321, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(28)));
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(36)));
        Assert.Equal(321, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(38)));
        Assert.Equal("fact", System.Text.Encoding.ASCII.GetString(file, 40, 4));
        Assert.Equal(900u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(48)));
        Assert.Equal("data", System.Text.Encoding.ASCII.GetString(file, 52, 4));

        var info = Read(file);
        Assert.True(info.IsImaAdpcm);
        Assert.Equal((1, 8000, 164, 4, 321), (info.Channels, info.SampleRate, info.BlockAlign, info.BitsPerSample, info.SamplesPerBlock));
        Assert.Equal((60, 492, 3, 900), (info.DataOffset, info.DataLength, info.BlockCount, info.SampleCount));
        Assert.False(info.DataSizeInferred);
    }

    [Fact]
    public void Pcm_header_reads_back()
    {
        var file = new byte[WavWriter.PcmHeaderBytes + 2000];
        Assert.Equal(44, WavWriter.WritePcmHeader(file, 0, 16000, 1000));

        var info = Read(file);
        Assert.False(info.IsImaAdpcm);
        Assert.Equal((WavWriter.PcmFormatTag, 16000, 2, 16, 1), (info.FormatTag, info.SampleRate, info.BlockAlign, info.BitsPerSample, info.SamplesPerBlock));
        Assert.Equal((44, 2000, 1000, 1000), (info.DataOffset, info.DataLength, info.BlockCount, info.SampleCount));
    }

    [Fact]
    public void A_header_rewritten_with_the_final_sizes_equals_one_written_with_them()
    {
        // The gateway writes the header first, appends blocks as they come, then rewrites the header in place.
        var recorded = ImaFile(blocks: 0, samples: 0, extraData: 5 * 164);
        Assert.Equal(WavWriter.ImaAdpcmHeaderBytes, WavWriter.WriteImaAdpcmHeader(recorded, 0, 8000, 164, 5, 5 * 321));

        Assert.Equal(ImaFile(blocks: 5, samples: 5 * 321), recorded);
    }

    [Fact]
    public void A_recording_whose_header_was_never_patched_reads_to_the_end_in_whole_blocks()
    {
        var crashed = ImaFile(blocks: 0, samples: 0, extraData: 5 * 164 + 50);

        var info = Read(crashed);
        Assert.True(info.DataSizeInferred);
        Assert.Equal((5, 5 * 164, 5 * 321), (info.BlockCount, info.DataLength, info.SampleCount));
    }

    [Theory]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(0x7FFFFFFFu)]
    [InlineData(10 * 164u)]
    public void A_data_size_past_the_end_of_the_file_means_to_the_end(uint declared)
    {
        var file = ImaFile(blocks: 4, samples: 4 * 321);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(56), declared);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(48), declared);

        var info = Read(file);
        Assert.True(info.DataSizeInferred);
        Assert.Equal((4, 4 * 321), (info.BlockCount, info.SampleCount));
    }

    [Fact]
    public void Unknown_chunks_are_skipped_with_their_pad_bytes()
    {
        var samples = Enumerable.Range(0, 10).SelectMany(i => new byte[] { (byte)i, 0 }).ToArray();
        var file = Riff(
            Chunk("JUNK", new byte[3]),
            Chunk("fmt ", PcmFormat()),
            Chunk("LIST", "INFOISFTabc"u8.ToArray()),
            Chunk("data", samples),
            Chunk("id3 ", new byte[7]));

        var info = Read(file);
        Assert.Equal(10, info.SampleCount);
        Assert.Equal(samples, file.AsSpan(info.DataOffset, info.DataLength).ToArray());
    }

    [Fact]
    public void Extensible_with_a_pcm_subformat_reads_as_pcm()
    {
        var info = Read(Riff(Chunk("fmt ", ExtensibleFormat(1)), Chunk("data", new byte[8])));
        Assert.Equal(WavWriter.PcmFormatTag, info.FormatTag);
        Assert.Equal(4, info.SampleCount);
    }

    [Fact]
    public void Extensible_with_another_subformat_is_unsupported()
    {
        Read(Riff(Chunk("fmt ", ExtensibleFormat(3)), Chunk("data", new byte[8])), WavError.UnsupportedFormat);
        Read(Riff(Chunk("fmt ", ExtensibleFormat(1, validBits: 12)), Chunk("data", new byte[8])), WavError.UnsupportedBits);
        Read(Riff(Chunk("fmt ", ExtensibleFormat(1)[..24]), Chunk("data", new byte[8])), WavError.UnsupportedFormat);
    }

    [Fact]
    public void Formats_we_do_not_play_are_rejected_with_their_reason()
    {
        Read(Riff(Chunk("fmt ", PcmFormat(channels: 2)), Chunk("data", new byte[8])), WavError.UnsupportedChannels);
        Read(Riff(Chunk("fmt ", PcmFormat(bits: 8)), Chunk("data", new byte[8])), WavError.UnsupportedBits);
        Read(Riff(Chunk("fmt ", PcmFormat(tag: 3, bits: 32)), Chunk("data", new byte[8])), WavError.UnsupportedFormat);
        Read(Riff(Chunk("fmt ", PcmFormat(rate: 0)), Chunk("data", new byte[8])), WavError.BadSampleRate);
    }

    [Fact]
    public void Ima_samples_per_block_must_fit_the_block_alignment()
    {
        var file = ImaFile(blocks: 1, samples: 321);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(38), 320);
        Read(file, WavError.SamplesPerBlockMismatch);

        file = ImaFile(blocks: 1, samples: 321);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(32), 3);
        Read(file, WavError.BadBlockAlign);

        file = ImaFile(blocks: 1, samples: 321);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(34), 3);
        Read(file, WavError.UnsupportedBits);
    }

    [Fact]
    public void Broken_structure_is_reported()
    {
        Read(new byte[0], WavError.NotRiff);
        Read("RIFX\0\0\0\0WAVE"u8.ToArray(), WavError.NotRiff);
        Read("RIFF\0\0\0\0AVI "u8.ToArray(), WavError.NotWave);
        Read(Riff(Chunk("data", new byte[8])), WavError.MissingFormat);
        Read(Riff(Chunk("fmt ", PcmFormat())), WavError.MissingData);
        Read(Riff(Chunk("fmt ", PcmFormat()[..14]), Chunk("data", new byte[8])), WavError.BadFormatChunk);
        Read(Riff(Chunk("fmt ", PcmFormat(), declaredSize: 100)), WavError.BadFormatChunk);
        Assert.Equal(WavError.NullBuffer, WavReader.Read(null!, 0, new WavInfo()));
        Assert.Equal(WavError.NullBuffer, WavReader.Read(new byte[44], 44, null!));
    }

    [Fact]
    public void The_writer_reports_bad_arguments()
    {
        Assert.Equal(WavError.BufferTooSmall, WavWriter.WriteImaAdpcmHeader(new byte[59], 0, 8000, 164, 0, 0));
        Assert.Equal(WavError.BufferTooSmall, WavWriter.WriteImaAdpcmHeader(new byte[60], 1, 8000, 164, 0, 0));
        Assert.Equal(WavError.BadSampleRate, WavWriter.WriteImaAdpcmHeader(new byte[60], 0, 0, 164, 0, 0));
        Assert.Equal(WavError.BadSize, WavWriter.WriteImaAdpcmHeader(new byte[60], 0, 8000, 3, 0, 0));
        Assert.Equal(WavError.BadSize, WavWriter.WriteImaAdpcmHeader(new byte[60], 0, 8000, 164, 1, 322));
        Assert.Equal(WavError.BadSize, WavWriter.WriteImaAdpcmHeader(new byte[60], 0, 8000, 164, -1, 0));
        Assert.Equal(WavError.NullBuffer, WavWriter.WriteImaAdpcmHeader(null!, 0, 8000, 164, 0, 0));
        Assert.Equal(WavError.BufferTooSmall, WavWriter.WritePcmHeader(new byte[43], 0, 8000, 0));
        Assert.Equal(WavError.BadSize, WavWriter.WritePcmHeader(new byte[44], 0, 8000, -1));
        Assert.Equal(WavError.BadSampleRate, WavWriter.WritePcmHeader(new byte[44], 0, -8000, 0));
    }

    [Fact]
    public void Every_error_code_has_its_own_description()
    {
        var codes = typeof(WavError).GetFields().Where(f => f.IsLiteral).Select(f => (int)f.GetValue(null)!).ToList();
        Assert.Equal(codes.Count, codes.Select(WavError.Describe).Distinct().Count());
        Assert.DoesNotContain("unknown WAV error", codes.Select(WavError.Describe));
    }

    [Property(MaxTest = 1000)]
    public void A_corrupted_header_gives_a_result_code_and_never_throws(int seed)
    {
        var random = new Random(seed);
        var file = random.Next(2) == 0 ? ImaFile(2, 642) : Riff(Chunk("fmt ", ExtensibleFormat(1)), Chunk("LIST", new byte[5]), Chunk("data", new byte[8]));
        for (int i = random.Next(1, 6); i > 0; i--)
        {
            file[random.Next(Math.Min(file.Length, 80))] = (byte)random.Next(256);
        }

        var info = new WavInfo();
        int length = random.Next(file.Length + 1);
        int result = WavReader.Read(file, length, info);
        Assert.NotEqual("unknown WAV error", WavError.Describe(result));
        if (result == WavError.Ok)
        {
            Assert.InRange(info.DataOffset + info.DataLength, 0, length);
            Assert.InRange(info.SampleCount, 0, info.BlockCount * info.SamplesPerBlock);
        }
    }

    [Property(MaxTest = 500)]
    public void Random_bytes_give_a_result_code_and_never_throw(byte[] bytes, bool riff)
    {
        if (riff && bytes.Length >= 12)
        {
            "RIFF"u8.CopyTo(bytes);
            "WAVE"u8.CopyTo(bytes.AsSpan(8));
        }

        Assert.NotEqual("unknown WAV error", WavError.Describe(WavReader.Read(bytes, bytes.Length, new WavInfo())));
    }
}
