namespace WalkieTalkie.Gateway.Storage;

/// <summary>
/// Who each badge last heard on each channel: what its private reply answers. Kept so that a reply still reaches the
/// right person after the gateway restarts.
/// </summary>
public interface ILastTalkerStore
{
    /// <summary>
    /// Notes that <paramref name="badgeId"/> was given a burst of <paramref name="talkerKey"/> on <paramref name="channel"/>
    /// (a Matrix sender with its user id, where known: a reply to them goes to a direct room with that user).
    /// </summary>
    void Set(string badgeId, byte channel, string talkerKey, string? matrixUserId, long atMs);

    IReadOnlyList<LastTalkerRecord> All();
}
