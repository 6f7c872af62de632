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

    /// <summary>On the storage worker: the frame's blocks go to the file.</summary>
    internal void WriteFrame(byte[] frame)
    {
        if (Recorder is { } recorder && _frame.Read(frame, 0, frame.Length) == ProtocolError.None)
        {
            recorder.Append(_frame);
        }
    }
}
