namespace WalkieTalkie.Gateway.Storage;

/// <summary>
/// Which recordings have been kept long enough (their channel's retention, <see cref="ChannelRecord.RetentionDays"/>)
/// and may go, and marking them gone. The files are removed by the <c>RecordingRetention</c> pass.
/// </summary>
public interface IRecordingRetention
{
    /// <summary>
    /// Finished, not yet pruned recordings started more than their channel's retention before <paramref name="now"/>,
    /// oldest first, at most <paramref name="limit"/>; never one the Matrix bridge still owes its room (a burst of a
    /// linked channel it has not delivered), however old.
    /// </summary>
    IReadOnlyList<RecordingRecord> Expired(DateTimeOffset now, int limit);

    /// <summary>The burst's file is gone: its row stays (burst ids are never reused; the bridge's threads refer to it), marked pruned, and it leaves every unplayed queue.</summary>
    void MarkPruned(uint burstId);
}
