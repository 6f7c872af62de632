namespace WalkieTalkie.Matrix.Sending;

/// <summary>Where an outbox entry stands.</summary>
public enum OutboxState
{
    /// <summary>Waiting to be sent (or being sent, or waiting to retry after a transient failure).</summary>
    Pending = 0,

    /// <summary>The homeserver accepted it; <see cref="OutboxEntry.EventId"/> is set.</summary>
    Sent = 1,

    /// <summary>The homeserver refused it for good (a 4xx other than 429); <see cref="OutboxEntry.Error"/> says why.</summary>
    Failed = 2,
}
