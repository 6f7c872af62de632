namespace WalkieTalkie.Gateway.Transports;

/// <summary>What a login came to: accepted, refused (bad id or secret), or not checked (backing off for <see cref="RetryAfter"/>).</summary>
public readonly record struct LoginResult(LoginOutcome Outcome, TimeSpan RetryAfter)
{
    public static LoginResult Accepted => new(LoginOutcome.Accepted, TimeSpan.Zero);

    public static LoginResult Refused => new(LoginOutcome.Refused, TimeSpan.Zero);

    public static LoginResult Throttled(TimeSpan wait) => new(LoginOutcome.Throttled, wait);

    public bool IsAccepted => Outcome == LoginOutcome.Accepted;
}
