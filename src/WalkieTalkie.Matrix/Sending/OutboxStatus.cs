namespace WalkieTalkie.Matrix.Sending;

/// <summary>What the outbox's sender is doing.</summary>
public enum OutboxStatus
{
    /// <summary>Not started, or stopped.</summary>
    Stopped,

    /// <summary>Nothing to send.</summary>
    Idle,

    /// <summary>Sending an entry.</summary>
    Sending,

    /// <summary>Waiting before retrying an entry after a transient failure.</summary>
    WaitingToRetry,

    /// <summary>Waiting before retrying, after the entry at the head of the queue reached the stuck limit and the
    /// entry behind it failed alike: the homeserver (or whatever every send needs) is failing, not the entry, so
    /// nothing is marked stuck and the queue waits in order.</summary>
    EveryEntryFailing,

    /// <summary>The homeserver rejected the access token: waiting for a new session (entries stay pending).</summary>
    NeedsLogin,
}
