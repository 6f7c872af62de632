using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Tests.Recording;

/// <summary>
/// Recordings at rest (<see cref="RecordingFormat"/>): no audio in the clear, and whatever happens to the file (cut at
/// any byte, a bit flipped, chunks swapped, the header changed, another key) the reader gives back an authentic prefix
/// of what was recorded, or refuses: never altered audio.
/// </summary>
public sealed class RecordingAtRestTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("wt-rest-").FullName;
    private readonly RecordingKey _key = RecordingKey.Generate();
    private readonly AudioFrame _frame = new();

    public void Dispose() => Directory.Delete(_folder, true);

    private RecordingReader Reader => new(_key);

    /// <summary>Records frames 0..count-1 (each a distinct block) the way the gateway does, finished or cut short.</summary>
    private string Record(int count, bool finish = true)
    {
        var path = Path.Combine(_folder, $"burst-{count}-{finish}{RecordingFormat.Extension}");
        var clock = new FakeTimeProvider(Start);
        var recorder = new BurstRecorder(new BurstRecording(7, 1, path, 8000, Start), _key, clock, NullLogger.Instance);
        for (ushort i = 0; i < count; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(321.0 / 8000));
            var payload = TestFrames.Make(1, 7, i);
            Assert.Equal(Protocol.ProtocolError.None, _frame.Read(payload, 0, payload.Length));
            recorder.Append(_frame);
        }

        if (finish)
        {
            recorder.Finish();
        }
        else
        {
            recorder.Dispose();
        }

        return path;
    }

    private static byte[] BlocksOf(int count) => Enumerable.Range(0, count).SelectMany(i => TestFrames.Make(1, 7, (ushort)i)[AudioFrame.HeaderLength..]).ToArray();

    [Fact]
    public void A_recording_holds_no_audio_in_the_clear_and_reads_back_whole()
    {
        var path = Record(12);
        var file = File.ReadAllBytes(path);
        Assert.False(file.AsSpan().StartsWith("RIFF"u8));
        for (var i = 0; i < 12; i++)
        {
            var block = TestFrames.Make(1, 7, (ushort)i)[AudioFrame.HeaderLength..];
            Assert.Equal(-1, file.AsSpan().IndexOf(block.AsSpan(4, 32))); // not even a piece of a block
        }

        var audio = Reader.Read(path);
        Assert.True(audio.Finished && audio.Sealed);
        Assert.Equal(8000, audio.SampleRate);
        Assert.Equal(164, audio.BlockBytes);
        Assert.Equal(BlocksOf(12), audio.Blocks);
        Assert.Equal(file.Length, audio.AuthenticLength);
    }

    [Fact]
    public void Cut_at_any_byte_the_file_gives_back_the_frames_written_before_the_cut_and_never_claims_to_be_finished()
    {
        var path = Record(6);
        var file = File.ReadAllBytes(path);
        var chunk = RecordingFormat.ChunkOverhead + 164;
        for (var length = 0; length < file.Length; length++)
        {
            var cut = file[..length];
            if (length < RecordingFormat.HeaderLength)
            {
                Assert.Throws<InvalidDataException>(() => Reader.Read(cut));
                continue;
            }

            var audio = Reader.Read(cut);
            var whole = Math.Min(6, (length - RecordingFormat.HeaderLength) / chunk);
            Assert.False(audio.Finished);
            Assert.Equal(BlocksOf(whole), audio.Blocks);
            Assert.Equal(RecordingFormat.HeaderLength + whole * chunk, audio.AuthenticLength);
        }
    }

    [Fact]
    public void A_changed_byte_stops_the_reading_at_its_chunk()
    {
        var file = File.ReadAllBytes(Record(6));
        var chunk = RecordingFormat.ChunkOverhead + 164;
        for (var target = 1; target < 6; target++)
        {
            foreach (var offset in new[] { RecordingFormat.LengthBytes + 7, RecordingFormat.LengthBytes + 164 + 3 }) // ciphertext, tag
            {
                var tampered = (byte[])file.Clone();
                tampered[RecordingFormat.HeaderLength + target * chunk + offset] ^= 0x01;
                var audio = Reader.Read(tampered);
                Assert.Equal(BlocksOf(target), audio.Blocks);
                Assert.False(audio.Finished);
            }
        }
    }

    [Fact]
    public void Swapped_or_dropped_chunks_a_changed_header_and_another_key_are_refused()
    {
        var file = File.ReadAllBytes(Record(4));
        var chunk = RecordingFormat.ChunkOverhead + 164;
        var swapped = (byte[])file.Clone();
        file.AsSpan(RecordingFormat.HeaderLength + 2 * chunk, chunk).CopyTo(swapped.AsSpan(RecordingFormat.HeaderLength + 1 * chunk));
        file.AsSpan(RecordingFormat.HeaderLength + 1 * chunk, chunk).CopyTo(swapped.AsSpan(RecordingFormat.HeaderLength + 2 * chunk));
        Assert.Equal(BlocksOf(1), Reader.Read(swapped).Blocks);

        var dropped = file[..(RecordingFormat.HeaderLength + chunk)].Concat(file[(RecordingFormat.HeaderLength + 2 * chunk)..]).ToArray();
        Assert.Equal(BlocksOf(1), Reader.Read(dropped).Blocks);

        var faster = (byte[])file.Clone();
        faster[8] = 0x80; // the sample rate, 8000 to 16000: the header is every chunk's associated data
        faster[9] = 0x3E;
        Assert.Throws<InvalidDataException>(() => Reader.Read(faster));

        Assert.Throws<InvalidDataException>(() => new RecordingReader(RecordingKey.Generate()).Read(file));
    }

    [Fact]
    public void The_final_chunk_of_one_recording_cannot_end_another()
    {
        var cut = File.ReadAllBytes(Record(3, finish: false));
        var finished = File.ReadAllBytes(Record(3));
        var tail = finished[cut.Length..]; // the final chunk, sealed under the other file's key
        Assert.False(Reader.Read([.. cut, .. tail]).Finished);
    }

    [Fact]
    public void A_wav_recorded_before_recordings_were_sealed_is_still_read()
    {
        var wav = new RecordedAudio(8000, 164, BlocksOf(5), true, 0, true).ToWav();
        var audio = Reader.Read(wav);
        Assert.False(audio.Sealed);
        Assert.True(audio.Finished);
        Assert.Equal(BlocksOf(5), audio.Blocks);
        Assert.Throws<InvalidDataException>(() => Reader.Read("RIFF and then nothing a WAV reader wants"u8.ToArray()));
        Assert.Throws<InvalidDataException>(() => Reader.Read([]));
    }

    [Fact]
    public void Queued_voice_messages_are_sealed_too_and_come_back_in_order()
    {
        var queued = new QueuedMessageFiles(_folder, _key, Reader);
        var blocks = Enumerable.Range(0, 70).Select(i => TestFrames.Make(1, 7, (ushort)i)[AudioFrame.HeaderLength..]).ToList();
        queued.Save(12, 1, 8000, "Alice 🎧", blocks);
        queued.Save(11, 2, 16000, "Bob", blocks.Take(3).ToList());
        var file = File.ReadAllBytes(Path.Combine(_folder, "queued", "00000012-ch1" + RecordingFormat.Extension));
        Assert.Equal(-1, file.AsSpan().IndexOf(blocks[5].AsSpan(4, 32)));

        var unreadable = new List<string>();
        var loaded = queued.Load(unreadable.Add);
        Assert.Empty(unreadable);
        Assert.Equal([11u, 12u], loaded.Select(m => m.BurstId));
        Assert.Equal("Alice 🎧", loaded[1].TalkerName);
        Assert.Equal(blocks, loaded[1].Blocks);
        Assert.Equal(16000, loaded[0].SampleRate);
        Assert.Equal(12u, queued.HighestBurstId());

        queued.Delete(12, 1);
        Assert.Equal(11u, Assert.Single(queued.Load(unreadable.Add)).BurstId);
    }
}
