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
}
