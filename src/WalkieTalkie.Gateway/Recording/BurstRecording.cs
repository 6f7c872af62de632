using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Recording;

/// <summary>
/// One burst's recording as the <see cref="RecordingWriter"/> keeps it: made on the engine's loop, its file opened,
/// written and finished on the storage worker only.
/// </summary>
public sealed class BurstRecording(uint burstId, byte channel, string path, int sampleRate, DateTimeOffset startedAt)
{
    public uint BurstId { get; } = burstId;
    public byte Channel { get; } = channel;
    public string Path { get; } = path;
    public int SampleRate { get; } = sampleRate;

    /// <summary>When the floor was granted: the burst's wall-clock length is counted from here.</summary>
    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>The file's writer (storage worker only); null until opened, or when it could not be.</summary>
    internal BurstRecorder? Recorder { get; set; }

    // Where the storage worker reads each frame's header (reused: appending allocates nothing).
    private readonly AudioFrame _frame = new();

    // When each frame handed to the storage worker and not written yet arrived (UTC ticks, oldest first): a gap is
    // filled as of the frame's arrival, not of its write a tick later. The worker commits the file after the last.
    private readonly Queue<long> _arrivals = new(64);

    /// <summary>On the engine's loop: a frame that arrived at <paramref name="arrivedAt"/> is on its way to the storage worker.</summary>
    internal void FrameQueued(DateTimeOffset arrivedAt)
    {
        lock (_arrivals)
        {
            _arrivals.Enqueue(arrivedAt.UtcTicks);
        }
    }

    /// <summary>
    /// On the storage worker: the frame's blocks go to the file; after the last frame queued so far (the batch a tick
    /// handed over), the file is committed: one write to the operating system for the batch.
    /// </summary>
    internal void WriteFrame(byte[] frame)
    {
        long arrivedAt;
        bool last;
        lock (_arrivals)
        {
            arrivedAt = _arrivals.Dequeue();
            last = _arrivals.Count == 0;
        }

        if (Recorder is not { } recorder)
        {
            return;
        }

        if (_frame.Read(frame, 0, frame.Length) == ProtocolError.None)
        {
            recorder.Append(_frame, new DateTimeOffset(arrivedAt, TimeSpan.Zero));
        }

        if (last)
        {
            recorder.Commit();
        }
    }
}
