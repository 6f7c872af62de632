namespace WalkieTalkie.Gateway.Storage;

/// <summary>
/// What <c>walkie status</c> shows of the running service: floor holders, recent floor decisions, badge presence.
/// The service writes it (through the <c>StatusRecorder</c>, an engine observer); the CLI reads it.
/// </summary>
public interface IStatusStore
{
    void RecordDecision(FloorDecisionRecord decision);

    /// <summary>Sets a channel's holder, or clears it when <paramref name="badgeId"/> is null.</summary>
    void SetHolder(byte channel, string? badgeId, uint burstId, long sinceMs);

    /// <summary>At service start: nobody holds a floor yet.</summary>
    void ClearHolders();

    /// <summary>Writes badges' presence at once.</summary>
    void SetPresence(IReadOnlyCollection<PresenceRecord> presences);

    IReadOnlyList<FloorHolderRecord> Holders();

    IReadOnlyList<FloorDecisionRecord> RecentDecisions(int count);

    /// <summary>A page of the floor log (the decisions kept, newest first).</summary>
    IReadOnlyList<FloorDecisionRecord> Decisions(FloorLogQuery query);

    IReadOnlyList<PresenceRecord> Presence();
}
