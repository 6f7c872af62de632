using WalkieTalkie.Matrix.Client.Http;

namespace WalkieTalkie.Matrix.Sending;

/// <summary>How an <see cref="Outbox"/> is stored and paced.</summary>
public sealed record OutboxOptions
{
    /// <summary>The SQLite database file (created if missing; shared by many accounts' outboxes if wanted).</summary>
    public required string DatabasePath { get; init; }

    /// <summary>Whose outbox this is inside the database, normally the account's user id and device id.</summary>
    public required string Owner { get; init; }

    /// <summary>Backoff between attempts after transient failures (no attempt limit: the entry waits for the
    /// homeserver as long as it takes). A server's Retry-After is honoured when longer.</summary>
    public RetryPolicy Backoff { get; init; } = new() { InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromMinutes(2) };

    /// <summary>
    /// An entry that has failed for this long (since its first failure, kept in the file across restarts) and at least
    /// <see cref="StuckAfterAttempts"/> times, each time for a reason other than the homeserver being away, is marked
    /// <see cref="OutboxState.Stuck"/> and the queue goes on without it, once the entry behind it is sent (or fails for
    /// a reason of its own). Ten minutes: far longer than a blip of the key store or a slow crypto step, short enough
    /// that a badge's later messages are late by minutes, not for ever. The homeserver being away (no answer, a
    /// timeout, 429, 502, 503, 504), or failing every entry alike (500 to everything), never makes an entry stuck:
    /// that waits as long as it takes, in order.
    /// </summary>
    public TimeSpan StuckAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The fewest failed attempts before an entry is marked stuck (see <see cref="StuckAfter"/>): a
    /// suspended machine's one attempt after a long sleep does not make an entry stuck.</summary>
    public int StuckAfterAttempts { get; init; } = 5;

    /// <summary>How often an idle sender looks at its file again without being woken. An entry put back wakes it at
    /// once (<see cref="Outbox.RequeueAsync"/>, and <see cref="OutboxFile.RequeueAsync"/> from another process through a
    /// watched file beside the database); this look is the fallback where that file cannot be watched.</summary>
    public TimeSpan IdleRecheck { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock the stuck limit is measured with (<see cref="StuckAfter"/>); tests move it.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
