namespace WalkieTalkie.Gateway.Storage;

/// <summary>Per badge, the bursts it missed and has not played yet.</summary>
public interface IUnplayedStore
{
    void Queue(string badgeId, uint burstId, long nowMs);

    bool Contains(string badgeId, uint burstId);

    void MarkPlayed(string badgeId, uint burstId);

    /// <summary>The badge's queue, oldest first, with what the unplayed list tells about each burst.</summary>
    IReadOnlyList<RecordingRecord> List(string badgeId);
}
