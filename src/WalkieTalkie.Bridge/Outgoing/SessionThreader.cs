namespace WalkieTalkie.Bridge.Outgoing;

/// <summary>
/// Decides the thread of each burst per channel: bursts separated by less than the channel's
/// <c>session_gap_ms</c> (from the end of one to the start of the next) share the session's first burst as their
/// thread root; after a longer gap a burst starts a new session. Its state lives in an <see cref="IThreadStore"/>,
/// so a restart keeps threads.
/// </summary>
public sealed class SessionThreader(IThreadStore store)
{
    /// <summary>Where a burst starting at <paramref name="startedAt"/> goes. Changes nothing.</summary>
    public ThreadDecision Decide(string channel, DateTimeOffset startedAt, TimeSpan sessionGap)
    {
        var session = store.Load(channel);
        if (session is null || startedAt - session.LastEndedAt >= sessionGap)
        {
            return new ThreadDecision.StartsSession();
        }

        if (session.RootEventId is null)
        {
            return new ThreadDecision.AwaitsRoot(session.RootTransactionId);
        }

        return new ThreadDecision.JoinsSession(new ThreadRelation(session.RootEventId, session.LatestEventId ?? session.RootEventId));
    }

    /// <summary>Records a burst handed to the outbox under <paramref name="decision"/>.</summary>
    /// <exception cref="ArgumentException">The burst was to await its root; it cannot be recorded as sent.</exception>
    public void Record(string channel, ThreadDecision decision, string transactionId, DateTimeOffset endedAt)
    {
        switch (decision)
        {
            case ThreadDecision.StartsSession:
                store.Save(channel, new SessionState(transactionId, null, transactionId, null, endedAt));
                break;
            case ThreadDecision.JoinsSession:
                var session = store.Load(channel)
                    ?? throw new InvalidOperationException($"channel {channel} has no session to join");
                var latest = session.LastEndedAt > endedAt ? session.LastEndedAt : endedAt;
                store.Save(channel, session with { LatestTransactionId = transactionId, LastEndedAt = latest });
                break;
            default:
                throw new ArgumentException("a burst awaiting its root is not sent yet", nameof(decision));
        }
    }

    /// <summary>The outbox sent a transaction: learn the root's and the latest burst's event ids.</summary>
    public void OnSent(string channel, string transactionId, string eventId)
    {
        var session = store.Load(channel);
        if (session is null)
        {
            return;
        }

        var updated = session;
        if (session.RootTransactionId == transactionId)
        {
            updated = updated with { RootEventId = eventId, LatestEventId = updated.LatestEventId ?? eventId };
        }

        if (session.LatestTransactionId == transactionId)
        {
            updated = updated with { LatestEventId = eventId };
        }

        if (updated != session)
        {
            store.Save(channel, updated);
        }
    }

    /// <summary>The outbox gave up on a transaction: if it was the root, the session ends (the next burst starts one).</summary>
    public void OnFailed(string channel, string transactionId)
    {
        if (store.Load(channel) is { } session && session.RootTransactionId == transactionId && session.RootEventId is null)
        {
            store.Save(channel, null);
        }
    }
}
