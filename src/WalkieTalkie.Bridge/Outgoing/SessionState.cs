namespace WalkieTalkie.Bridge.Outgoing;

/// <summary>The walkie session (thread) of one channel, as persisted between bursts and across restarts.</summary>
/// <param name="RootTransactionId">The outbox transaction of the session's first burst.</param>
/// <param name="RootEventId">Its event id, once the outbox has sent it.</param>
/// <param name="LatestTransactionId">The transaction of the session's latest burst.</param>
/// <param name="LatestEventId">The latest event id of the thread known (the reply fallback), or null.</param>
/// <param name="LastEndedAt">When the session's latest burst ended.</param>
public sealed record SessionState(string RootTransactionId, string? RootEventId, string LatestTransactionId,
    string? LatestEventId, DateTimeOffset LastEndedAt);
