using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Recording;

/// <summary>
/// One burst's recording as the <see cref="RecordingWriter"/> keeps it: made on the engine's loop, its file opened,
/// grown and finished on the storage worker only. Its frames are written by whichever thread holds the recorder: the
/// storage worker, until the file is mapped and the worker has written every frame handed to it; from then on the
/// engine's thread, straight into the mapping, until the file has not the room for a frame (which then goes to the
/// worker again, and so on). The hand-over is by counts, so the two never write at once and the frames keep their order.
/// </summary>
public sealed class BurstRecording(uint burstId, byte channel, string path, int sampleRate, DateTimeOffset startedAt)
{
    public uint BurstId { get; } = burstId;
    public byte Channel { get; } = channel;
    public string Path { get; } = path;
    public int SampleRate { get; } = sampleRate;

    /// <summary>When the floor was granted: the burst's wall-clock length is counted from here.</summary>
    public DateTimeOffset StartedAt { get; } = startedAt;

    private BurstRecorder? _recorder;
    private volatile bool _unrecorded;

    // The frames the storage worker has taken (written or not), which the engine's thread compares with those it handed over.
    private int _taken;

    // The engine's thread only.
    private int _handedOver;
    private bool _inMemory;
    private int _sinceFlush;
    private bool _growAsked;

    // Where the frame's header is read (reused: appending allocates nothing); by the thread that holds the recorder.
    private readonly AudioFrame _frame = new();

    /// <summary>The file's writer, set by the storage worker once it is open; null until then, or when it could not be.</summary>
    internal BurstRecorder? Recorder
    {
        get => Volatile.Read(ref _recorder);
        set => Volatile.Write(ref _recorder, value);
    }

    /// <summary>The file could not be made: the engine's thread hands no frames over.</summary>
    internal bool Unrecorded
    {
        get => _unrecorded;
        set => _unrecorded = value;
    }

    /// <summary>On the storage worker: the frame's blocks go to the file.</summary>
    internal void WriteFrame(byte[] frame)
    {
        try
        {
            if (Recorder is { } recorder && _frame.Read(frame, 0, frame.Length) == ProtocolError.None)
            {
                recorder.Append(_frame);
            }
        }
        finally
        {
            Volatile.Write(ref _taken, _taken + 1);
        }
    }

    /// <summary>
    /// On the engine's thread: appends the frame straight into the mapped file when this thread holds the recorder (or
    /// can take it: the worker has written all it was handed). False when the frame must go to the storage worker
    /// (<see cref="HandingOver"/>).
    /// </summary>
    internal bool TryAppendInMemory(byte[] frame)
    {
        if (!_inMemory)
        {
            if (Recorder is not { AppendsInMemory: true } || Volatile.Read(ref _taken) != _handedOver)
            {
                return false;
            }

            _inMemory = true;
        }

        if (_frame.Read(frame, 0, frame.Length) != ProtocolError.None)
        {
            return true; // not recorded, as on the worker
        }

        if (!Recorder!.TryAppendInMemory(_frame))
        {
            _inMemory = false;
            return false;
        }

        _sinceFlush++;
        return true;
    }

    /// <summary>On the engine's thread: a frame is about to be handed to the storage worker.</summary>
    internal void HandingOver() => _handedOver++;

    /// <summary>On the engine's thread, after a frame appended in memory: true once every <see cref="BurstRecorder.FlushToDiskEvery"/> frames.</summary>
    internal bool FlushDue()
    {
        if (_sinceFlush < BurstRecorder.FlushToDiskEvery)
        {
            return false;
        }

        _sinceFlush = 0;
        return true;
    }

    /// <summary>On the engine's thread, after a frame appended in memory: true when the file's room runs low, once until it has grown.</summary>
    internal bool GrowDue()
    {
        if (!Recorder!.RunningLow)
        {
            _growAsked = false;
            return false;
        }

        if (_growAsked)
        {
            return false;
        }

        _growAsked = true;
        return true;
    }
}
