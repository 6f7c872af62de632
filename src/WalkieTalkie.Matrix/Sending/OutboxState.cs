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

    /// <summary>Tried for <see cref="OutboxOptions.StuckAfter"/> and <see cref="OutboxOptions.StuckAfterAttempts"/>
    /// attempts, failing each time for a reason other than the homeserver being away (a crypto error every time,
    /// say): kept with everything needed to send it, but no longer holding the queue. A person sees it (the console,
    /// <c>walkie badge outbox</c>) and puts it back with <see cref="Outbox.RequeueAsync"/>.</summary>
    Stuck = 3,
}
