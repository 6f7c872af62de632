using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Recording;

/// <summary>
/// Writes one burst as its frames arrive: the protocol's blocks as they are, no transcoding, sealed at rest
/// (<see cref="RecordingFormat"/>: a chunk per frame). Every frame is handed to the operating system at once, so
/// killing the process loses at most the frame in flight; <see cref="FlushToDiskEvery"/> frames it is also forced to
/// disk. A frame lost on the way becomes blocks of silence, so the recording keeps its timing, but only so far as
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

    private readonly FileStream _file;
    private readonly RecordingFileWriter _writer;
    private readonly BurstRecording _burst;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private byte[] _plain = new byte[1024];
    private int _nextSequence;
    private int _blocks;
    private int _sinceFlush;
    private bool _gapLogged;

    public BurstRecorder(BurstRecording burst, RecordingKey key, TimeProvider time, ILogger logger)
    {
        _burst = burst;
        _time = time;
        _logger = logger;
        _file = OwnerOnly.Create(burst.Path, FileMode.Create, FileAccess.Write, FileShare.Read);
        _writer = new RecordingFileWriter(_file, key);
    }

    public string Path => _burst.Path;

    /// <summary>The block length of this burst, fixed by its first frame (0 before).</summary>
    public int BlockBytes { get; private set; }

    public int FramesReceived { get; private set; }

    public int FramesLost { get; private set; }

    /// <summary>Frames refused because their block length differs from the burst's.</summary>
    public int FramesRefused { get; private set; }

    /// <summary>Blocks of gaps not filled with silence (beyond the concealment or the wall clock).</summary>
    public long BlocksNotFilled { get; private set; }

    public int SamplesPerBlock => BlockBytes == 0 ? 0 : ImaAdpcm.SamplesPerBlockFor(BlockBytes);

    public long DurationMs => _burst.SampleRate == 0 ? 0 : (long)_blocks * SamplesPerBlock * 1000 / _burst.SampleRate;

    /// <summary>Appends a frame's blocks. Frames must come in sequence order; late ones (already passed) are dropped.</summary>
    public void Append(AudioFrame frame)
    {
        if (BlockBytes == 0)
        {
            BlockBytes = frame.BlockBytes;
            _writer.Begin(_burst.SampleRate, BlockBytes);
        }

        if (frame.BlockBytes != BlockBytes)
        {
            FramesRefused++;
            return;
        }

        var gap = frame.Sequence - _nextSequence;
        if (gap < 0)
        {
            return;
        }

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
        _writer.Append(_plain.AsSpan(0, length));
        _blocks += fill + frame.BlockCount;
        _nextSequence = frame.Sequence + 1;
        FramesReceived++;
        _file.Flush(false);
        if (++_sinceFlush >= FlushToDiskEvery)
        {
            _file.Flush(true);
            _sinceFlush = 0;
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

    /// <summary>Writes the final chunk (the recording is complete) and closes the file.</summary>
    public void Finish()
    {
        if (!_writer.HasBegun)
        {
            BlockBytes = ImaAdpcm.DefaultBlockBytes;
            _writer.Begin(_burst.SampleRate, BlockBytes);
        }

        _writer.End();
        _file.Flush(true);
        Dispose();
    }

    public void Dispose()
    {
        _writer.Dispose();
        _file.Dispose();
    }
}
