namespace WalkieTalkie.Bridge.Outgoing;

/// <summary>Where a burst goes in the room's threads.</summary>
public abstract record ThreadDecision
{
    private ThreadDecision() { }

    /// <summary>The burst starts a new session: it is sent without a relation and becomes the root.</summary>
    public sealed record StartsSession : ThreadDecision;

    /// <summary>The burst continues the session: it is sent with this relation.</summary>
    /// <param name="Relation">The thread relation.</param>
    public sealed record JoinsSession(ThreadRelation Relation) : ThreadDecision;

    /// <summary>
    /// The burst continues a session whose root the outbox has not sent yet: it must wait for the root's event id
    /// (the homeserver is away), so that it can name it.
    /// </summary>
    /// <param name="RootTransactionId">The root's outbox transaction.</param>
    public sealed record AwaitsRoot(string RootTransactionId) : ThreadDecision;
}
