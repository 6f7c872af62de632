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

    /// <summary>The homeserver rejected the access token: waiting for a new session (entries stay pending).</summary>
    NeedsLogin,
}
