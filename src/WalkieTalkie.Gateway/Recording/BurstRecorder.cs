using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Recording;

/// <summary>
/// Writes one burst as its frames arrive: the protocol's blocks as they are, no transcoding, sealed at rest
/// (<see cref="RecordingFormat"/>: a chunk per frame). Every frame is handed to the operating system at once (a write,
/// or a copy into the file's mapping: <see cref="IRecordingFile"/>), so killing the process loses at most the frame in
/// flight; every <see cref="FlushToDiskEvery"/> frames it is also forced to disk. A frame lost on the way becomes blocks of silence, so the recording keeps its timing, but only so far as
/// it is a loss: at most <see cref="MaxConcealmentSeconds"/> per gap, and never past the burst's wall-clock length
/// (plus a block). The rest of a gap is counted as lost and not recorded, and the first such gap of a burst is logged;
/// a talker numbering its frames 0, 50, 100 … cannot make a recording fifty times its length.
/// </summary>
public sealed class BurstRecorder : IDisposable
{
    /// <summary>Frames between fsyncs; the OS has every frame at once anyway.</summary>
    public const int FlushToDiskEvery = 25;

    /// <summary>The longest silence one gap in the sequence is filled with.</summary>
    public const double MaxConcealmentSeconds = 1.0;

    private readonly IRecordingFile _file;
    private readonly RecordingSealer _sealer;
    private readonly BurstRecording _burst;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private byte[] _plain = new byte[1024];
    private int _nextSequence;
    private int _blocks;
    private int _sinceFlush;
    private bool _gapLogged;
    private bool _noRoomLogged;

    /// <summary>A recorder writing through a plain file stream, on the storage worker only.</summary>
    public BurstRecorder(BurstRecording burst, RecordingKey key, TimeProvider time, ILogger logger)
        : this(burst, StreamRecordingFile.Create(burst.Path), key, time, logger)
    {
    }

    internal BurstRecorder(BurstRecording burst, IRecordingFile file, RecordingKey key, TimeProvider time, ILogger logger)
    {
        _burst = burst;
        _time = time;
        _logger = logger;
        _file = file;
        _sealer = new RecordingSealer(key);
    }

    public string Path => _burst.Path;

    /// <summary>The engine's thread may append (<see cref="TryAppendInMemory"/>): the file is mapped.</summary>
    internal bool AppendsInMemory => _file.InMemory;

    /// <summary>The file's room is running low: the storage worker should grow it (<see cref="GrowAhead"/>).</summary>
    internal bool RunningLow => _file.RunningLow;

    /// <summary>The block length of this burst, fixed by its first frame (0 before).</summary>
    public int BlockBytes { get; private set; }

    public int FramesReceived { get; private set; }

    public int FramesLost { get; private set; }

    /// <summary>Frames refused because their block length differs from the burst's.</summary>
    public int FramesRefused { get; private set; }

    /// <summary>Frames received but not recorded: the disk had no room for them.</summary>
    public int FramesNotRecorded { get; private set; }

    /// <summary>Blocks of gaps not filled with silence (beyond the concealment or the wall clock).</summary>
    public long BlocksNotFilled { get; private set; }

    public int SamplesPerBlock => BlockBytes == 0 ? 0 : ImaAdpcm.SamplesPerBlockFor(BlockBytes);

    public long DurationMs => _burst.SampleRate == 0 ? 0 : (long)_blocks * SamplesPerBlock * 1000 / _burst.SampleRate;

    /// <summary>
    /// On the storage worker: appends a frame's blocks, growing the file if it must. Frames must come in sequence order;
    /// late ones (already passed) are dropped.
    /// </summary>
    public void Append(AudioFrame frame)
    {
        if (!Accept(frame))
        {
            return;
        }

        if (!_file.MakeRoom(MostBytesFor(frame)))
        {
            NoRoom();
            return;
        }

        Write(frame);
        _file.HandOver();
        if (++_sinceFlush >= FlushToDiskEvery)
        {
            _file.FlushToDisk();
            _sinceFlush = 0;
        }
    }

    /// <summary>
    /// On the engine's thread, for a mapped file whose frames the storage worker has all written: appends the frame as
    /// <see cref="Append"/> does, a copy into memory. False, with nothing done, when the file has not the room: the frame
    /// goes to the storage worker, which grows it. Forcing to disk is the caller's to ask of the worker.
    /// </summary>
    internal bool TryAppendInMemory(AudioFrame frame)
    {
        if (!Accept(frame))
        {
            return true;
        }

        if (_file.Room < MostBytesFor(frame))
        {
            return false;
        }

        Write(frame);
        return true;
    }

    /// <summary>On the storage worker: grows the file ahead of need (the engine's thread asked).</summary>
    internal void GrowAhead()
    {
        if (!_file.Grow())
        {
            LogNoRoom();
        }
    }

    /// <summary>On the storage worker: forces what is appended to the disk (every <see cref="FlushToDiskEvery"/> frames).</summary>
    internal void FlushToDisk() => _file.FlushToDisk();

    // The first frame fixes the block length; a frame of another length is refused, a late one dropped.
    private bool Accept(AudioFrame frame)
    {
        if (BlockBytes == 0)
        {
            BlockBytes = frame.BlockBytes;
        }

        if (frame.BlockBytes != BlockBytes)
        {
            FramesRefused++;
            return false;
        }

        return frame.Sequence >= _nextSequence;
    }

    // The most this frame can add: the header if it is the first, its chunk with a second of concealed loss, and room
    // kept for the final chunk, so that a burst can always be finished.
    private long MostBytesFor(AudioFrame frame)
    {
        var header = _sealer.HasBegun ? 0 : RecordingFormat.HeaderLength;
        var concealed = SamplesPerBlock == 0 ? 0 : (long)Math.Ceiling(MaxConcealmentSeconds * _burst.SampleRate / SamplesPerBlock);
        return header + (concealed + frame.BlockCount) * BlockBytes + 2 * RecordingFormat.ChunkOverhead;
    }

    private void Write(AudioFrame frame)
    {
        if (!_sealer.HasBegun)
        {
            _file.WriteHeader(_sealer.Begin(_burst.SampleRate, BlockBytes));
        }

        var gap = frame.Sequence - _nextSequence;
        var fill = 0;
        if (gap > 0)
        {
            FramesLost += gap;
            fill = Concealment(gap, frame);
        }

        // The silence and the frame go as one chunk: one write, one authenticated unit.
        var length = (fill + frame.BlockCount) * BlockBytes;
        if (_plain.Length < length)
        {
            _plain = new byte[Math.Max(length, _plain.Length * 2)];
        }

        // A block whose first sample and codes are 0 at step index 0 decodes to silence.
        _plain.AsSpan(0, fill * BlockBytes).Clear();
        frame.Buffer.AsSpan(frame.BlocksOffset, frame.BlocksLength).CopyTo(_plain.AsSpan(fill * BlockBytes));
        _file.WriteChunk(_sealer.Seal(_plain.AsSpan(0, length), final: false));
        _blocks += fill + frame.BlockCount;
        _nextSequence = frame.Sequence + 1;
        FramesReceived++;
    }

    private void NoRoom()
    {
        FramesNotRecorded++;
        LogNoRoom();
    }

    private void LogNoRoom()
    {
        if (!_noRoomLogged)
        {
            _noRoomLogged = true;
            _logger.LogError("Burst {BurstId} on channel {Channel}: the disk has no room for its recording; what is recorded so far is kept, " +
                "the frames that do not fit are not recorded (counted, not logged)", _burst.BurstId, _burst.Channel);
        }
    }

    // The silent blocks a gap of this many frames gets: at most a second, and no more than keeps the recording within
    // the burst's wall-clock length (plus a block) with the frame that follows it.
    private int Concealment(int gapFrames, AudioFrame frame)
    {
        var wanted = (long)gapFrames * frame.BlockCount;
        var perSecond = (long)Math.Ceiling(MaxConcealmentSeconds * _burst.SampleRate / SamplesPerBlock);
        var elapsed = _time.GetUtcNow() - _burst.StartedAt;
        var wallClockBlocks = Math.Max(0, elapsed.Ticks) * _burst.SampleRate / (TimeSpan.TicksPerSecond * SamplesPerBlock) + 1;
        var room = Math.Max(0, wallClockBlocks - _blocks - frame.BlockCount);
        var fill = Math.Min(wanted, Math.Min(perSecond, room));
        if (fill < wanted)
        {
            BlocksNotFilled += wanted - fill;
            if (!_gapLogged)
            {
                _gapLogged = true;
                _logger.LogWarning("Burst {BurstId} on channel {Channel}: frames {From}-{To} never came; {Filled} ms filled with silence, the rest " +
                    "recorded as lost (a recording is never longer than its burst; further gaps of this burst are counted, not logged)",
                    _burst.BurstId, _burst.Channel, _nextSequence, frame.Sequence - 1, fill * SamplesPerBlock * 1000 / _burst.SampleRate);
            }
        }

        return (int)fill;
    }

    /// <summary>Counts frames the talker says it sent but never arrived after the last one received.</summary>
    public void NoteFramesSent(int framesSent)
    {
        if (framesSent > _nextSequence)
        {
            FramesLost += framesSent - _nextSequence;
        }
    }

    /// <summary>Writes the final chunk (the recording is complete), cuts the file to its length and closes it.</summary>
    public void Finish()
    {
        if (!_sealer.HasBegun)
        {
            BlockBytes = ImaAdpcm.DefaultBlockBytes;
            _file.MakeRoom(RecordingFormat.HeaderLength + RecordingFormat.ChunkOverhead);
            _file.WriteHeader(_sealer.Begin(_burst.SampleRate, BlockBytes));
        }

        _file.WriteChunk(_sealer.Seal([], final: true));
        _file.Close();
        _sealer.Dispose();
    }

    public void Dispose()
    {
        _sealer.Dispose();
        _file.Dispose();
    }
}
