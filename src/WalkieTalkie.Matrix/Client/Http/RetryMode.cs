namespace WalkieTalkie.Matrix.Client.Http;

/// <summary>When a failed request may be sent again.</summary>
public enum RetryMode
{
    /// <summary>Never: the caller sees the first failure (logins: the caller decides when to spend an attempt).</summary>
    Never,

    /// <summary>Only when the server certainly did not act on it: 429, or the connection was refused. For POSTs
    /// that are not idempotent (media upload, registration).</summary>
    WhenNotProcessed,

    /// <summary>On 429, 5xx, timeouts and network failures. For GETs and for PUTs whose transaction id makes a
    /// repeat harmless.</summary>
    Idempotent,
}
