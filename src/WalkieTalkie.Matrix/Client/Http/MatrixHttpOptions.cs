namespace WalkieTalkie.Matrix.Client.Http;

/// <summary>How the HTTP layer behaves. The defaults suit a gateway talking to Synapse.</summary>
public sealed record MatrixHttpOptions
{
    /// <summary>Backoff for one-off calls (sync and the outbox run their own, endless loops).</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>Longest wait for one request (a <c>/sync</c> long-poll gets its own timeout on top of this).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How waiting is done. Tests replace it to record the delays asked for without waiting them.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>The <c>User-Agent</c> sent with each request.</summary>
    public string UserAgent { get; init; } = "WalkieTalkie-Gateway";
}
