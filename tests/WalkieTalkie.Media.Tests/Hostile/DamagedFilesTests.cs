using System.Buffers.Binary;
using System.Text;
using WalkieTalkie.Media.Opus;
using WalkieTalkie.Media.Tests.Support;
using WalkieTalkie.Media.VoiceMessages;

namespace WalkieTalkie.Media.Tests.Hostile;

/// <summary>Damaged, hostile and foreign files: each refused with <see cref="MediaFormatException"/> and the reason.</summary>
public sealed class DamagedFilesTests
{
    private static readonly byte[] Valid = VoiceMessageEncoder.FromBurst(new Bursts.BurstAudio(TestAudio.Tone(16000, 440, 1.5, 0.3), 16000)).File;

    private static MediaError Refusal(byte[] file)
    {
        var refusal = Assert.Throws<MediaFormatException>(() => VoiceMessageDecoder.ToBadgeBurst(file, 8000));
        Assert.False(string.IsNullOrWhiteSpace(refusal.Message));
        return refusal.Error;
    }

    [Fact]
    public void The_valid_file_is_read()
    {
        Assert.Equal(1500 * 8, VoiceMessageDecoder.ToPcm(Valid, 8000).Length);
    }

    [Fact]
    public void Empty_and_tiny_files()
    {
        Assert.Equal(MediaError.Empty, Refusal([]));
        Assert.Equal(MediaError.Empty, Refusal("Og"u8.ToArray()));
    }

    [Fact]
    public void Wrong_magic()
    {
        byte[] file = (byte[])Valid.Clone();
        file[0] = (byte)'X';
        Assert.Equal(MediaError.NotOgg, Refusal(file));
    }

    [Fact]
    public void A_flipped_bit_fails_the_crc()
    {
        var pages = OggEdit.Pages(Valid);
        foreach (var (offset, length) in new[] { pages[0], pages[1], pages[3] })
        {
            byte[] file = (byte[])Valid.Clone();
            file[offset + length - 1] ^= 0x10;
            Assert.Equal(MediaError.BadCrc, Refusal(file));
        }
    }

    [Fact]
    public void Truncated_anywhere()
    {
        var pages = OggEdit.Pages(Valid);
        var cuts = new[] { 5, 20, 27, pages[0].Length + 3, pages[2].Offset + 30, pages[2].Offset + pages[2].Length / 2, pages[^1].Offset, Valid.Length - 1 };
        foreach (int cut in cuts)
        {
            Assert.Equal(MediaError.Truncated, Refusal(Valid[..cut]));
        }
    }

    [Fact]
    public void A_missing_page_breaks_the_sequence()
    {
        var pages = OggEdit.Pages(Valid);
        byte[] file = [.. Valid[..pages[2].Offset], .. Valid[pages[3].Offset..]];
        Assert.Equal(MediaError.BrokenPageSequence, Refusal(file));
    }

    [Fact]
    public void Absurd_sizes_are_refused_before_anything_big_is_allocated()
    {
        // A final granule claiming 24 hours cannot add audio that is not there: all that was coded is played (the
        // input, then the encoder's padding to whole frames), past the pre-skip.
        byte[] file = (byte[])Valid.Clone();
        var last = OggEdit.Pages(file)[^1];
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(last.Offset + 6), 48000L * 86400);
        OggEdit.FixCrcs(file);
        int packets = OggOpusFile.Read(file).AudioPackets.Count;
        Assert.Equal((packets * 960 - 312) / 6, VoiceMessageDecoder.ToPcm(file, 8000).Length);

        // A comment header claiming 4 billion comments.
        byte[] tags = (byte[])Valid.Clone();
        var second = OggEdit.Pages(tags)[1];
        int body = second.Offset + 27 + tags[second.Offset + 26];
        int vendorLength = BinaryPrimitives.ReadInt32LittleEndian(tags.AsSpan(body + 8));
        BinaryPrimitives.WriteUInt32LittleEndian(tags.AsSpan(body + 12 + vendorLength), uint.MaxValue);
        OggEdit.FixCrcs(tags);
        Assert.Equal(MediaError.BadOpusHeader, Refusal(tags));

        // A vendor string claiming 2 GB.
        byte[] vendor = (byte[])Valid.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(vendor.AsSpan(body + 8), int.MaxValue);
        OggEdit.FixCrcs(vendor);
        Assert.Equal(MediaError.BadOpusHeader, Refusal(vendor));

        // A packet that never ends: pages of 255-byte segments, each continuing the last, past the packet limit.
        Assert.Equal(MediaError.TooLarge, Refusal(EndlessPacket()));
    }

    [Fact]
    public void A_long_message_is_refused_by_its_packets_before_decoding()
    {
        var refusal = Assert.Throws<MediaFormatException>(() => VoiceMessageDecoder.ToPcm(Valid, 8000, TimeSpan.FromSeconds(1)));
        Assert.Equal(MediaError.TooLarge, refusal.Error);
    }

    [Fact]
    public void OpusHead_problems()
    {
        Assert.Equal(MediaError.UnsupportedOpusStream, Refusal(WithHead(h => h[18] = 1)));
        Assert.Equal(MediaError.BadOpusHeader, Refusal(WithHead(h => h[9] = 3)));
        Assert.Equal(MediaError.BadOpusHeader, Refusal(WithHead(h => h[9] = 0)));
        Assert.Equal(MediaError.UnsupportedOpusStream, Refusal(WithHead(h => h[8] = 0x10)));
        Assert.Equal(MediaError.NotOpus, Refusal(WithHead(h => h[0] = (byte)'X')));
    }

    [Fact]
    public void Granules_that_go_backwards_or_end_before_the_pre_skip()
    {
        byte[] file = (byte[])Valid.Clone();
        var last = OggEdit.Pages(file)[^1];
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(last.Offset + 6), 100);
        OggEdit.FixCrcs(file);
        Assert.Equal(MediaError.BadGranule, Refusal(file));

        byte[] single = VoiceMessageEncoder.FromBurst(new Bursts.BurstAudio(TestAudio.Tone(16000, 440, 0.5, 0.3), 16000)).File;
        Assert.Equal(3, OggEdit.Pages(single).Count);
        var only = OggEdit.Pages(single)[2];
        BinaryPrimitives.WriteInt64LittleEndian(single.AsSpan(only.Offset + 6), 200);
        OggEdit.FixCrcs(single);
        Assert.Equal(MediaError.BadGranule, Refusal(single));
    }

    [Fact]
    public void Corrupt_audio_packets_give_only_the_documented_error()
    {
        // Garbage in every audio packet, the container kept valid: the decoder either copes (Opus decodes almost
        // any bytes to some audio) or refuses with CorruptAudio; nothing else escapes.
        var random = new Random(7);
        for (int round = 0; round < 40; round++)
        {
            byte[] file = (byte[])Valid.Clone();
            var pages = OggEdit.Pages(file);
            foreach (var (offset, length) in pages.Skip(2))
            {
                int header = 27 + file[offset + 26];
                random.NextBytes(file.AsSpan(offset + header, length - header));
            }

            OggEdit.FixCrcs(file);
            try
            {
                VoiceMessageDecoder.ToBadgeBurst(file, 16000);
            }
            catch (MediaFormatException refusal)
            {
                Assert.True(refusal.Error is MediaError.CorruptAudio or MediaError.TooLarge, refusal.Error + ": " + refusal.Message);
            }
        }
    }

    [Fact]
    public void Random_damage_gives_only_the_documented_error()
    {
        var random = new Random(11);
        for (int round = 0; round < 200; round++)
        {
            byte[] file = (byte[])Valid.Clone();
            int flips = 1 + random.Next(8);
            for (int i = 0; i < flips; i++)
            {
                file[random.Next(file.Length)] = (byte)random.Next(256);
            }

            if (round % 2 == 0)
            {
                OggEdit.FixCrcs(file);
            }

            try
            {
                VoiceMessageDecoder.ToPcm(file, 8000);
            }
            catch (MediaFormatException)
            {
            }
        }
    }

    [Theory]
    [InlineData("wav", MediaError.NotOgg, "WAV")]
    [InlineData("mp3", MediaError.NotOgg, "MP3")]
    [InlineData("m4a", MediaError.NotOgg, "MP4/M4A")]
    [InlineData("flac", MediaError.NotOgg, "FLAC")]
    [InlineData("webm", MediaError.NotOgg, "WebM")]
    [InlineData("ogg-vorbis", MediaError.NotOpus, "Vorbis")]
    [InlineData("ogg-flac", MediaError.NotOpus, "FLAC")]
    public void Other_audio_formats_are_refused_by_name(string format, MediaError expected, string named)
    {
        using var folder = new TempFolder();
        string wav = TestAudio.WriteWav(folder, "tone", TestAudio.Tone(16000, 440, 1, 0.3), 16000);
        string output = format switch
        {
            "wav" => wav,
            "ogg-vorbis" => Convert(folder, wav, "vorbis.ogg", "-c:a", "libvorbis"),
            "ogg-flac" => Convert(folder, wav, "flac.oga", "-c:a", "flac"),
            "webm" => Convert(folder, wav, "file.webm", "-c:a", "libopus"),
            _ => Convert(folder, wav, "file." + format),
        };

        var refusal = Assert.Throws<MediaFormatException>(() => VoiceMessageDecoder.ToBadgeBurst(File.ReadAllBytes(output), 8000));
        Assert.Equal(expected, refusal.Error);
        Assert.Contains(named, refusal.Message);
    }

    private static string Convert(TempFolder folder, string input, string name, params string[] codec)
    {
        string output = folder.File(name);
        ExternalTool.Check("ffmpeg", ["-v", "error", "-y", "-i", input, .. codec, output]);
        return output;
    }

    private static byte[] WithHead(Action<byte[]> edit)
    {
        byte[] file = (byte[])Valid.Clone();
        // The OpusHead is the only packet of page 0: its 19 bytes follow the 27-byte header and 1 lacing value.
        byte[] copy = file.AsSpan(28, 19).ToArray();
        edit(copy);
        copy.CopyTo(file, 28);
        OggEdit.FixCrcs(file);
        return file;
    }

    private static byte[] EndlessPacket()
    {
        var output = new MemoryStream();
        output.Write(Valid, 0, OggEdit.Pages(Valid)[2].Offset);
        for (uint sequence = 2; sequence < 2 + 300; sequence++)
        {
            var page = new byte[27 + 255 + 255 * 255];
            Encoding.ASCII.GetBytes("OggS").CopyTo(page, 0);
            page[5] = (byte)(sequence == 2 ? 0 : 1);
            BinaryPrimitives.WriteInt64LittleEndian(page.AsSpan(6), -1);
            Valid.AsSpan(14, 4).CopyTo(page.AsSpan(14));
            BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(18), sequence);
            page[26] = 255;
            page.AsSpan(27, 255).Fill(255);
            output.Write(page);
        }

        byte[] file = output.ToArray();
        OggEdit.FixCrcs(file);
        return file;
    }
}
