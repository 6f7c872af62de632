namespace WalkieTalkie.Matrix.Client.Http;

/// <summary>
/// Exponential backoff with jitter. The server's <c>Retry-After</c> wins over the computed delay when it is longer.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>How many times a request is sent at most (1 = no retry).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Delay after the first failure.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of the computed delay (not of a server's <c>Retry-After</c>).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Growth factor per failure.</summary>
    public double Multiplier { get; init; } = 2.0;

    /// <summary>Random spread, as a fraction of the delay, so that many badges do not retry in lockstep.</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>Defaults for one-off calls.</summary>
    public static RetryPolicy Default { get; } = new();

    /// <summary>The delay before attempt <paramref name="failures"/>+1, given the server's wish.</summary>
    public TimeSpan DelayFor(int failures, TimeSpan? serverRetryAfter)
    {
        var exponent = Math.Max(0, failures - 1);
        var ms = InitialDelay.TotalMilliseconds * Math.Pow(Multiplier, Math.Min(exponent, 30));
        ms = Math.Min(ms, MaxDelay.TotalMilliseconds);
        if (Jitter > 0)
        {
            ms *= 1 + (Random.Shared.NextDouble() * 2 - 1) * Jitter;
        }

        var computed = TimeSpan.FromMilliseconds(Math.Max(0, ms));
        return serverRetryAfter is { } wanted && wanted > computed ? wanted : computed;
    }
}
