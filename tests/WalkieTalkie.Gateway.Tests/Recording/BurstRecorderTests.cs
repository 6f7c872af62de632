using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Tests.Recording;

/// <summary>Recordings: the protocol's blocks as an IMA ADPCM WAV, gaps filled, and a cut-short file recovered.</summary>
public sealed class BurstRecorderTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _db = new();
    private readonly AudioFrame _frame = new();
    private readonly RecordingKey _key = RecordingKey.Generate();
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly ListLoggerProvider _log = new();

    public void Dispose() => _db.Dispose();

    private RecordingReader Reader => new(_key);

    private string PathFor(uint burst) => RecordingPaths.For(Path.Combine(_db.Directory, "recordings"), 1, burst, "anna", DateTimeOffset.UtcNow);

    /// <summary>A recorder for a burst granted at <see cref="Start"/>, on the test's clock.</summary>
    private BurstRecorder Recorder(string path, int rate, uint burst = 7) =>
        new(new BurstRecording(burst, 1, path, rate, Start), _key, _clock, _log.CreateLogger("recorder"));

    /// <summary>Appends the frame at the time it arrives when frames come in real time (a late one arrives late).</summary>
    private void Append(BurstRecorder recorder, ushort sequence, byte rateCode = 0, int blocks = 1)
    {
        var rate = rateCode == 0 ? 8000 : 16000;
        var arrival = Start + TimeSpan.FromSeconds((sequence + 1) * blocks * 321.0 / rate);
        if (arrival > _clock.GetUtcNow())
        {
            _clock.SetUtcNow(arrival);
        }

        var payload = TestFrames.Make(1, 7, sequence, rateCode: rateCode, blocks: blocks);
        Assert.Equal(Protocol.ProtocolError.None, _frame.Read(payload, 0, payload.Length));
        recorder.Append(_frame);
    }

    /// <summary>The recording as a WAV file beside it (recordings are sealed at rest; this is what walkie recording export writes).</summary>
    private string Exported(string path)
    {
        var wav = path + ".wav";
        File.WriteAllBytes(wav, Reader.Read(path).ToWav());
        return wav;
    }

    private WavInfo ReadWav(string path)
    {
        var file = File.ReadAllBytes(Exported(path));
        var info = new WavInfo();
        Assert.Equal(WavError.Ok, WavReader.Read(file, file.Length, info));
        return info;
    }

    [Theory]
    [InlineData(8000, 0, 1)]
    [InlineData(16000, 1, 1)]
    [InlineData(8000, 0, 3)]
    public void A_burst_is_its_blocks_in_a_wav_file_that_sox_reads(int rate, byte rateCode, int blocksPerFrame)
    {
        var path = PathFor(1);
        var recorder = Recorder(path, rate);
        for (ushort i = 0; i < 12; i++)
        {
            Append(recorder, i, rateCode, blocksPerFrame);
        }

        recorder.Finish();
        Assert.Equal(12, recorder.FramesReceived);
        Assert.Equal(0, recorder.FramesLost);
        Assert.Equal(12L * blocksPerFrame * 321 * 1000 / rate, recorder.DurationMs);

        var info = ReadWav(path);
        Assert.True(info.IsImaAdpcm);
        Assert.Equal(rate, info.SampleRate);
        Assert.Equal(164, info.BlockAlign);
        Assert.Equal(12 * blocksPerFrame, info.BlockCount);
        Assert.False(info.DataSizeInferred);

        // The blocks are stored as received, untouched.
        var file = File.ReadAllBytes(Exported(path));
        var third = TestFrames.Make(1, 7, 2, rateCode: rateCode, blocks: blocksPerFrame);
        Assert.Equal(third.AsSpan(AudioFrame.HeaderLength).ToArray(),
            file.AsSpan(info.DataOffset + 2 * blocksPerFrame * 164, blocksPerFrame * 164).ToArray());

        var (soxRate, samples) = Sox.Decode(Exported(path));
        Assert.Equal(rate, soxRate);
        Assert.Equal(12L * blocksPerFrame * 321, samples);
    }

    [Fact]
    public void Lost_frames_become_silent_blocks_and_are_counted()
    {
        var path = PathFor(2);
        var recorder = Recorder(path, 8000);
        Append(recorder, 0);
        Append(recorder, 1);
        Append(recorder, 4);
        Append(recorder, 3); // late: already passed
        recorder.NoteFramesSent(7);
        recorder.Finish();

        Assert.Equal(3, recorder.FramesReceived);
        Assert.Equal(2 + 2, recorder.FramesLost);
        var info = ReadWav(path);
        Assert.Equal(5, info.BlockCount);
        var file = File.ReadAllBytes(Exported(path));
        Assert.All(file.AsSpan(info.DataOffset + 2 * 164, 2 * 164).ToArray(), b => Assert.Equal(0, b));
        Assert.Equal(5L * 321, Sox.Decode(Exported(path)).Samples);
    }

    [Fact]
    public void A_frame_with_another_block_length_is_refused()
    {
        var recorder = Recorder(PathFor(3), 8000);
        Append(recorder, 0);
        var other = new byte[AudioFrame.LengthFor(1, 100)];
        AudioFrame.WriteHeader(other, 0, 1, 0, 7, 1, 0, 1, 100);
        Assert.Equal(Protocol.ProtocolError.None, _frame.Read(other, 0, other.Length));
        recorder.Append(_frame);
        recorder.Finish();
        Assert.Equal(1, recorder.FramesRefused);
        Assert.Equal(1, ReadWav(recorder.Path).BlockCount);
    }

    [Fact]
    public void A_recording_cut_short_is_recovered_readable_and_marked_incomplete()
    {
        var store = new SqliteRecordingIndex(_db.Database);
        var path = PathFor(4);
        store.Start(4, 1, "anna", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), path, 8000);
        store.SetLayout(4, 164, 1);
        var recorder = Recorder(path, 8000);
        for (ushort i = 0; i < 9; i++)
        {
            Append(recorder, i);
        }

        // The process dies: the header still says "size unknown", and half a block is on disk.
        recorder.Dispose();
        using (var file = new FileStream(path, FileMode.Append))
        {
            file.Write(new byte[80]);
        }

        Assert.Equal(1, new RecordingRecovery(store, Reader, _key, NullLogger<WalkieTalkie.Gateway.Recording.RecordingRecovery>.Instance).Recover());
        var row = store.Get(4)!;
        Assert.False(row.Complete);
        Assert.Equal(9, row.FramesReceived);
        Assert.Equal(9L * 321 * 1000 / 8000, row.DurationMs);
        var info = ReadWav(path);
        Assert.Equal(9, info.BlockCount);
        Assert.False(info.DataSizeInferred);
        Assert.Equal(9L * 321, Sox.Decode(Exported(path)).Samples);

        Assert.Equal(0, new RecordingRecovery(store, Reader, _key, NullLogger<WalkieTalkie.Gateway.Recording.RecordingRecovery>.Instance).Recover());
    }

    [Fact]
    public void A_recording_cut_before_its_first_frame_becomes_an_empty_valid_file()
    {
        var store = new SqliteRecordingIndex(_db.Database);
        var path = PathFor(5);
        store.Start(5, 1, "anna", 0, path, 16000);
        Recorder(path, 16000).Dispose();
        Assert.Equal(1, new RecordingRecovery(store, Reader, _key, NullLogger<WalkieTalkie.Gateway.Recording.RecordingRecovery>.Instance).Recover());
        Assert.False(store.Get(5)!.Complete);
        Assert.Equal(0, ReadWav(path).BlockCount);
    }

    [Fact]
    public void Replay_frames_cut_from_a_recording_give_back_the_blocks()
    {
        var path = PathFor(6);
        var recorder = Recorder(path, 8000);
        for (ushort i = 0; i < 5; i++)
        {
            Append(recorder, i);
        }

        recorder.Finish();
        var frames = WalkieTalkie.Gateway.Bursts.BurstFrames.FromRecording(Reader, path, 1, 6, blocksPerFrame: 2);
        Assert.Equal(3, frames.Count);
        var reader = new AudioFrame();
        Assert.Equal(Protocol.ProtocolError.None, reader.Read(frames[0], 0, frames[0].Length));
        Assert.True(reader.IsFirst && reader.IsReplay && !reader.IsLast);
        Assert.Equal(2, reader.BlockCount);
        Assert.Equal(Protocol.ProtocolError.None, reader.Read(frames[2], 0, frames[2].Length));
        Assert.True(reader.IsLast && reader.IsReplay);
        Assert.Equal(1, reader.BlockCount);
        Assert.Equal(2, reader.Sequence);
        Assert.Equal(TestFrames.Make(1, 7, 4).AsSpan(AudioFrame.HeaderLength).ToArray(), frames[2].AsSpan(AudioFrame.HeaderLength).ToArray());
        Assert.Empty(WalkieTalkie.Gateway.Bursts.BurstFrames.FromRecording(Reader, Path.Combine(_db.Directory, "missing.wav"), 1, 6, 1));
    }

    private void AppendAt(BurstRecorder recorder, ushort sequence, TimeSpan arrival)
    {
        _clock.SetUtcNow(Start + arrival);
        var payload = TestFrames.Make(1, 7, sequence);
        Assert.Equal(Protocol.ProtocolError.None, _frame.Read(payload, 0, payload.Length));
        recorder.Append(_frame);
    }

    private static readonly TimeSpan Block = TimeSpan.FromSeconds(321.0 / 8000);

    [Fact]
    public void Frames_numbered_0_50_100_in_real_time_make_a_recording_no_longer_than_the_wall_clock()
    {
        // Before: 40 frames became 40 + 39 x 49 = 1951 blocks (78 s) for 1.6 s of talking.
        var path = PathFor(8);
        var recorder = Recorder(path, 8000, burst: 8);
        for (var i = 0; i < 40; i++)
        {
            AppendAt(recorder, (ushort)(i * 50), Block * (i + 1));
        }

        recorder.Finish();
        var wallClock = _clock.GetUtcNow() - Start;
        var audio = Reader.Read(path);
        Assert.InRange(audio.BlockCount, 40, (int)(wallClock / Block) + 1);
        Assert.Equal(audio.DurationMs, recorder.DurationMs);
        Assert.Equal(40, recorder.FramesReceived);
        Assert.Equal(39 * 49, recorder.FramesLost);
        Assert.Equal(1, _log.Count("Burst 8 on channel 1", "frames 1-49 never came"));
        Assert.Equal(1, _log.Count("never came")); // once per burst
    }

    [Fact]
    public void A_long_outage_is_concealed_with_a_second_of_silence_and_the_rest_counted_lost()
    {
        var path = PathFor(9);
        var recorder = Recorder(path, 8000, burst: 9);
        for (ushort i = 0; i < 10; i++)
        {
            AppendAt(recorder, i, Block * (i + 1));
        }

        // Frames 10-99 never came: 3.6 s of Wi-Fi outage, then the talk goes on in real time.
        AppendAt(recorder, 100, Block * 101);
        recorder.Finish();

        var audio = Reader.Read(path);
        var second = (int)Math.Ceiling(8000 / 321.0);
        Assert.Equal(10 + second + 1, audio.BlockCount);
        Assert.Equal(90, recorder.FramesLost);
        Assert.Equal(90 - second, recorder.BlocksNotFilled);
        Assert.All(audio.Blocks.AsSpan(10 * 164, second * 164).ToArray(), b => Assert.Equal(0, b));
        Assert.Equal(TestFrames.Make(1, 7, 100).AsSpan(AudioFrame.HeaderLength).ToArray(), audio.Blocks.AsSpan((10 + second) * 164).ToArray());
        Assert.Equal(1, _log.Count("Burst 9 on channel 1", "frames 10-99 never came", $"{second * 321 * 1000 / 8000} ms filled"));
    }

    [Fact]
    public void A_gap_in_frames_sent_ahead_of_real_time_is_not_filled_past_the_wall_clock()
    {
        var path = PathFor(10);
        var recorder = Recorder(path, 8000, burst: 10);
        AppendAt(recorder, 0, Block);
        AppendAt(recorder, 5, Block * 3); // 4 frames missing, but only 3 blocks' time has passed
        recorder.Finish();
        Assert.Equal(3 + 1, Reader.Read(path).BlockCount); // 0, two blocks of silence, 5: the wall clock and one block, no more
        Assert.Equal(4, recorder.FramesLost);
        Assert.Equal(2, recorder.BlocksNotFilled);
    }
}
