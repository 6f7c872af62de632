namespace WalkieTalkie.Gateway.Storage;

/// <summary>
/// The index of recorded bursts: a row when a burst starts (unfinished), its block layout once the first frame came,
/// and its outcome when it ends. The files themselves are written by the <c>RecordingWriter</c>.
/// </summary>
public interface IRecordingIndex
{
    /// <summary>Makes the row of a burst that starts; <paramref name="privateTo"/> names the one badge a private reply is for.</summary>
    void Start(uint burstId, byte channel, string talker, long startedAtMs, string path, int sampleRate, string privateTo = "");

    /// <summary>Notes the block layout once the first frame arrived, so a recording cut short can be counted in frames.</summary>
    void SetLayout(uint burstId, int blockBytes, int blocksPerFrame);

    void Finish(uint burstId, long durationMs, int framesReceived, int framesLost, int blockBytes, bool complete, int endReason);

    RecordingRecord? Get(uint burstId);

    /// <summary>The blocks per frame noted by <see cref="SetLayout"/> (1 when unknown).</summary>
    int BlocksPerFrame(uint burstId);

    /// <summary>Recordings never finished: the gateway was killed during the burst.</summary>
    IReadOnlyList<RecordingRecord> Unfinished();

    /// <summary>The most recent recordings, newest first.</summary>
    IReadOnlyList<RecordingRecord> Recent(int count);

    /// <summary>
    /// Recordings still on disk (not pruned) started from <paramref name="fromMs"/> up to, not including,
    /// <paramref name="toMs"/> on <paramref name="channels"/> (null: every channel), oldest first.
    /// </summary>
    IReadOnlyList<RecordingRecord> Between(long fromMs, long toMs, IReadOnlyCollection<byte>? channels);

    /// <summary>One more than the highest burst id recorded (1 when none).</summary>
    uint NextBurstId();
}
