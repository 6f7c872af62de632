using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Tests.Recording;

/// <summary>
/// A burst's recording mapped into memory: the engine's thread appends its frames without the storage worker, a file
/// cut short (its zero tail) recovers, and a burst longer than the space reserved grows it or, when the disk has no
/// room, keeps what fitted and finishes.
/// </summary>
public sealed class MappedRecordingTests : IDisposable
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow;
    private readonly TempDatabase _db = new();
    private readonly RecordingKey _key = RecordingKey.Generate();
    private readonly ListLoggerProvider _log = new();
    private readonly AudioFrame _frame = new();

    public void Dispose() => _db.Dispose();

    private RecordingReader Reader => new(_key);

    private string PathFor(uint burst) => RecordingPaths.For(Path.Combine(_db.Directory, "recordings"), 1, burst, "anna", Start);

    private RecordingRecovery Recovery(IRecordingIndex index) => new(index, Reader, _key, NullLogger<RecordingRecovery>.Instance);

    private RecordingWriter Writer(StorageWorker worker, IRecordingIndex index) =>
        new(worker, index, Recovery(index), Options.Create(new GatewayOptions { DataDirectory = _db.Directory }),
            new GatewayObservers([], TimeProvider.System, NullLogger<GatewayObservers>.Instance), _key, TimeProvider.System,
            new Logger<RecordingWriter>(_log));

    // A burst's recording begun, its layout noted, and the worker done with both (its file made and mapped).
    private static async Task<BurstRecording> StartedAsync(RecordingWriter writer, StorageWorker worker, uint burstId, int maxTalkSeconds)
    {
        var recording = writer.Start(burstId, 1, Talker.Badge("anna"), Start, 8000, maxTalkSeconds: maxTalkSeconds);
        writer.SetLayout(recording, 164, 1);
        await worker.RunAsync(() => { });
        return recording;
    }

    [Fact]
    public async Task The_engines_thread_appends_without_the_storage_worker_and_a_cut_file_recovers_from_its_zero_tail()
    {
        var index = new SqliteRecordingIndex(_db.Database);
        await using var worker = new StorageWorker();
        var writer = Writer(worker, index);
        var recording = await StartedAsync(writer, worker, 11, maxTalkSeconds: 30);

        // The storage worker is busy (a slow disk): the frames are in the file all the same.
        using var busy = new ManualResetEventSlim();
        worker.Post(() => busy.Wait());
        for (ushort i = 0; i < 30; i++)
        {
            writer.Append(recording, TestFrames.Make(1, 11, i));
        }

        var cut = File.ReadAllBytes(recording.Path);
        busy.Set();
        await worker.RunAsync(() => { });

        // As a kill -9 leaves it: the frames, then the zeros of the space reserved for the rest of the burst.
        Assert.True(cut.Length > RecordingFormat.HeaderLength + 30 * (164 + RecordingFormat.ChunkOverhead) + 1000);
        var audio = Reader.Read(cut);
        Assert.False(audio.Finished);
        Assert.Equal(30, audio.BlockCount);
        Assert.Equal(TestFrames.Make(1, 11, 29).AsSpan(AudioFrame.HeaderLength).ToArray(), audio.Blocks.AsSpan(29 * 164).ToArray());

        // The burst itself ends: its file is cut to its length.
        await writer.FinishAsync(recording, 30, EndReason.Released);
        var finished = Reader.Read(recording.Path);
        Assert.True(finished.Finished);
        Assert.Equal(30, finished.BlockCount);
        Assert.Equal(finished.AuthenticLength, new FileInfo(recording.Path).Length);

        File.WriteAllBytes(PathFor(12), cut);
        index.Start(12, 1, "anna", Start.ToUnixTimeMilliseconds(), PathFor(12), 8000);
        index.SetLayout(12, 164, 1);
        Assert.Equal(1, Recovery(index).Recover());
        var row = index.Get(12)!;
        Assert.False(row.Complete);
        Assert.Equal(30, row.FramesReceived);
        var recovered = Reader.Read(PathFor(12));
        Assert.True(recovered.Finished);
        Assert.Equal(30, recovered.BlockCount);
    }

    [Fact]
    public void A_header_followed_by_zeros_reads_as_a_recording_cut_before_its_first_frame()
    {
        // Killed after the first frame's header was copied into the mapping, before its chunk was.
        var path = PathFor(13);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var file = new FileStream(path, FileMode.Create))
        {
            using var writer = new RecordingFileWriter(file, _key);
            writer.Begin(8000, 164);
            file.Write(new byte[4096]);
        }

        var audio = Reader.Read(path);
        Assert.False(audio.Finished);
        Assert.Equal(0, audio.BlockCount);
        Assert.Equal(RecordingFormat.HeaderLength, audio.AuthenticLength);

        var index = new SqliteRecordingIndex(_db.Database);
        index.Start(13, 1, "anna", Start.ToUnixTimeMilliseconds(), path, 8000);
        Assert.Equal(1, Recovery(index).Recover());
        Assert.True(Reader.Read(path).Finished);
        Assert.Equal(RecordingFormat.HeaderLength + RecordingFormat.ChunkOverhead, new FileInfo(path).Length);
    }

    [Fact]
    public async Task A_burst_longer_than_the_space_reserved_grows_its_file_and_is_recorded_whole()
    {
        var index = new SqliteRecordingIndex(_db.Database);
        await using var worker = new StorageWorker();
        var writer = Writer(worker, index);
        var recording = await StartedAsync(writer, worker, 14, maxTalkSeconds: 1);
        const int Frames = 1500; // 60 s of frames: 276 kB, in a file made for 6 s (48 kB) that grows by 480 kB
        for (ushort i = 0; i < Frames; i++)
        {
            writer.Append(recording, TestFrames.Make(1, 14, i));
        }

        await writer.FinishAsync(recording, Frames, EndReason.Released);

        var row = index.Get(14)!;
        Assert.True(row.Complete);
        Assert.Equal(Frames, row.FramesReceived);
        var audio = Reader.Read(recording.Path);
        Assert.True(audio.Finished);
        Assert.Equal(Frames, audio.BlockCount);
        Assert.Equal(audio.AuthenticLength, new FileInfo(recording.Path).Length);
        Assert.Equal(TestFrames.Make(1, 14, Frames - 1).AsSpan(AudioFrame.HeaderLength).ToArray(),
            audio.Blocks.AsSpan((Frames - 1) * 164).ToArray());
        Assert.Equal(0, _log.Count("no room"));
    }

    [Fact]
    public async Task Appending_on_the_engines_thread_allocates_nothing()
    {
        var index = new SqliteRecordingIndex(_db.Database);
        await using var worker = new StorageWorker();
        var writer = Writer(worker, index);
        var recording = writer.Start(18, 1, Talker.Badge("anna"), Start, 8000, maxTalkSeconds: 30);
        await worker.RunAsync(() => { });
        var frames = Enumerable.Range(0, 200).Select(i => TestFrames.Make(1, 18, (ushort)i)).ToArray();
        for (var i = 0; i < 100; i++)
        {
            writer.Append(recording, frames[i]);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 100; i < 200; i++)
        {
            writer.Append(recording, frames[i]);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        await writer.FinishAsync(recording, 200, EndReason.Released);
        Assert.Equal(200, Reader.Read(recording.Path).BlockCount);
    }

    [Fact]
    public void A_frame_the_engines_thread_has_no_room_for_goes_to_the_worker_which_grows_the_file()
    {
        var path = PathFor(15);
        var burst = new BurstRecording(15, 1, path, 8000, Start);
        using var recorder = new BurstRecorder(burst, MappedRecordingFile.Create(path, new RecordingSpace(6000, 6000, 3000)), _key,
            TimeProvider.System, _log.CreateLogger("recorder"));
        var inMemory = 0;
        for (ushort i = 0; i < 100; i++)
        {
            Read(TestFrames.Make(1, 15, i));
            if (recorder.TryAppendInMemory(_frame))
            {
                inMemory++;
            }
            else
            {
                recorder.Append(_frame);
            }
        }

        recorder.Finish();
        Assert.InRange(inMemory, 1, 99);
        Assert.Equal(100, recorder.FramesReceived);
        var audio = Reader.Read(path);
        Assert.True(audio.Finished);
        Assert.Equal(100, audio.BlockCount);
        Assert.Equal(audio.AuthenticLength, new FileInfo(path).Length);
    }

    [Fact]
    public void A_file_the_disk_has_no_room_to_grow_keeps_the_frames_that_fitted_and_is_finished()
    {
        var path = PathFor(16);
        var burst = new BurstRecording(16, 1, path, 8000, Start);
        var reserved = 0;
        using var recorder = new BurstRecorder(burst, MappedRecordingFile.Create(path, new RecordingSpace(6000, 6000, 3000), (file, offset, length) =>
        {
            if (reserved++ > 0)
            {
                throw new IOException("No space left on device");
            }

            FileSpace.Reserve(file, offset, length);
        }), _key, TimeProvider.System, _log.CreateLogger("recorder"));
        for (ushort i = 0; i < 20; i++)
        {
            Read(TestFrames.Make(1, 16, i));
            if (!recorder.TryAppendInMemory(_frame))
            {
                recorder.Append(_frame);
            }

            if (recorder.RunningLow)
            {
                recorder.GrowAhead();
            }
        }

        recorder.Finish();
        Assert.InRange(recorder.FramesReceived, 1, 19);
        Assert.Equal(20, recorder.FramesReceived + recorder.FramesNotRecorded);
        Assert.Equal(1, _log.Count("Burst 16 on channel 1", "no room"));
        var audio = Reader.Read(path);
        Assert.True(audio.Finished);
        Assert.Equal(recorder.FramesReceived, audio.BlockCount);
        Assert.Equal(audio.AuthenticLength, new FileInfo(path).Length);
    }

    [Fact]
    public void A_mapped_recording_is_readable_by_the_gateways_user_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // the folder's ACL decides there
        }

        var path = PathFor(17);
        using var file = MappedRecordingFile.Create(path, RecordingSpace.For(8000, 30));
        Assert.Equal(OwnerOnly.FileMode, File.GetUnixFileMode(path));
    }

    private void Read(byte[] payload) => Assert.Equal(Protocol.ProtocolError.None, _frame.Read(payload, 0, payload.Length));
}
