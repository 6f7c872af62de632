using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
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
/// The recording's frames are handed to the storage worker without waking it, and written at the engine's tick
/// (<see cref="RecordingWriter.HandOver"/>): a finished burst is what it was (a sealed chunk per frame), and a writer
/// abandoned mid-burst (what kill -9 leaves) holds every frame handed over before it, recovered marked incomplete.
/// </summary>
public sealed class RecordingHandOverTests : IAsyncDisposable
{
    private const uint BurstId = 9;
    private readonly TempDatabase _db = new();
    private readonly RecordingKey _key = RecordingKey.Generate();
    private readonly StorageWorker _worker = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 5, 23, 0, 0, TimeSpan.Zero));
    private readonly SqliteRecordingIndex _index;
    private readonly RecordingWriter _writer;

    public RecordingHandOverTests()
    {
        _index = new SqliteRecordingIndex(_db.Database);
        var options = Options.Create(new GatewayOptions { DataDirectory = _db.Directory });
        _writer = new RecordingWriter(_worker, _index, Recovery, options,
            new GatewayObservers([], _clock, NullLogger<GatewayObservers>.Instance), _key, _clock,
            NullLogger<RecordingWriter>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        await _worker.DisposeAsync();
        _db.Dispose();
    }

    private RecordingRecovery Recovery => new(_index, new RecordingReader(_key), _key, NullLogger<RecordingRecovery>.Instance);

    private static byte[] Frame(int sequence) => TestFrames.Make(1, BurstId, (ushort)sequence);

    private static byte[] BlocksOf(int count) => Enumerable.Range(0, count).SelectMany(i => Frame(i)[AudioFrame.HeaderLength..]).ToArray();

    private BurstRecording Start()
    {
        var recording = _writer.Start(BurstId, 1, Talker.Badge("anna"), _clock.GetUtcNow(), 8000);
        _writer.SetLayout(recording, 164, 1);
        return recording;
    }

    private void Append(BurstRecording recording, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            _writer.Append(recording, Frame(i));
        }
    }

    /// <summary>Hands over at a tick and waits until the storage worker has done everything it was given.</summary>
    private async Task HandOverAsync()
    {
        _writer.HandOver();
        Assert.True(await Eventually.TrueAsync(() => _worker.Pending == 0, 30_000), $"{_worker.Pending} items still waiting after the hand-over");
    }

    // What another process (the gateway that recovers) reads of the file now: what the operating system has.
    private RecordedAudio OnDisk(BurstRecording recording) => new RecordingReader(_key).Read(File.ReadAllBytes(recording.Path));

    [Fact]
    public async Task A_finished_burst_is_a_sealed_chunk_per_frame_holding_every_frame_in_order()
    {
        var recording = Start();
        Append(recording, 0, 7);
        await HandOverAsync();
        Append(recording, 7, 30);
        await _writer.FinishAsync(recording, 30, EndReason.Released);

        var file = File.ReadAllBytes(recording.Path);
        var audio = new RecordingReader(_key).Read(file);
        Assert.True(audio.Finished);
        Assert.Equal(BlocksOf(30), audio.Blocks);
        // The format as before: the header, one chunk per frame, the empty final chunk; nothing else.
        Assert.Equal(RecordingFormat.HeaderLength + 30 * (RecordingFormat.ChunkOverhead + 164) + RecordingFormat.ChunkOverhead, file.Length);
        Assert.Equal(file.Length, audio.AuthenticLength);
        var row = _index.Get(BurstId)!;
        Assert.True(row.Complete);
        Assert.Equal(30, row.FramesReceived);
    }

    [Fact]
    public async Task Every_frame_handed_over_is_in_the_file_at_once_and_a_writer_abandoned_mid_burst_recovers_them_marked_incomplete()
    {
        var recording = Start();
        Append(recording, 0, 10);
        await HandOverAsync();
        Assert.Equal(BlocksOf(10), OnDisk(recording).Blocks);

        // Frames after the last hand-over are all a kill can take: at least those handed over are in the file, in order.
        Append(recording, 10, 13);
        var meanwhile = OnDisk(recording);
        Assert.InRange(meanwhile.BlockCount, 10, 13);
        Assert.Equal(BlocksOf(meanwhile.BlockCount), meanwhile.Blocks);

        Append(recording, 13, 40); // more than FlushToDiskEvery since the start: a commit that also forces the file to disk
        await HandOverAsync();
        Assert.Equal(BlocksOf(40), OnDisk(recording).Blocks);
        Assert.False(OnDisk(recording).Finished);

        // The writer is abandoned there (never finished), as kill -9 leaves it; recovery keeps every frame.
        Assert.Equal(1, Recovery.Recover());
        var row = _index.Get(BurstId)!;
        Assert.False(row.Complete);
        Assert.Equal(40, row.FramesReceived);
        var recovered = new RecordingReader(_key).Read(recording.Path);
        Assert.True(recovered.Finished);
        Assert.Equal(BlocksOf(40), recovered.Blocks);
    }

    [Fact]
    public async Task A_gap_is_filled_as_of_the_frames_arrival_not_of_its_write_a_tick_later()
    {
        // Frames 0 and 50 arrive 40 and 80 ms into the burst; the tick that writes them comes 10 s later (a stalled loop).
        var recording = Start();
        _clock.Advance(TimeSpan.FromMilliseconds(40));
        _writer.Append(recording, Frame(0));
        _clock.Advance(TimeSpan.FromMilliseconds(40));
        _writer.Append(recording, Frame(50));
        _clock.Advance(TimeSpan.FromSeconds(10));
        await HandOverAsync();
        await _writer.FinishAsync(recording, 51, EndReason.Released);

        // 80 ms of burst hold two blocks: the two frames, no silence (as of the write, a second of it would fit).
        var audio = new RecordingReader(_key).Read(recording.Path);
        Assert.Equal([.. Frame(0)[AudioFrame.HeaderLength..], .. Frame(50)[AudioFrame.HeaderLength..]], audio.Blocks);
        Assert.Equal(49, _index.Get(BurstId)!.FramesLost);
    }

    [Fact]
    public async Task Appending_a_frame_allocates_nothing()
    {
        var recording = Start();
        var frame = Frame(0);
        await HandOverAsync();
        Assert.True(await Eventually.TrueAsync(() => _worker.Asleep, 30_000));
        for (var i = 0; i < 2000; i++)
        {
            _writer.Append(recording, frame); // grows the queues while the worker sleeps
        }

        await HandOverAsync();
        Assert.True(await Eventually.TrueAsync(() => _worker.Asleep, 30_000));
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            _writer.Append(recording, frame);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        await HandOverAsync();
        Assert.Equal(0, allocated);
    }
}
