using System.Net;
using System.Text.Json.Nodes;

namespace WalkieTalkie.Matrix.Client.Http;

/// <summary>
/// A homeserver answered with a non-2xx status. Carries the Matrix <c>errcode</c>, the HTTP status and, for
/// rate limits, how long the server asked us to wait.
/// </summary>
public sealed class MatrixException : Exception
{
    public MatrixException(HttpStatusCode status, string errorCode, string? error, TimeSpan? retryAfter = null,
        JsonObject? body = null)
        : base(FormatMessage(status, errorCode, error))
    {
        Status = status;
        ErrorCode = errorCode;
        Error = error;
        RetryAfter = retryAfter;
        Body = body;
    }

    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The Matrix <c>errcode</c> (<see cref="MatrixErrorCode"/>), or <see cref="MatrixErrorCode.Unrecognized"/>
    /// when the body carried none.</summary>
    public string ErrorCode { get; }

    /// <summary>The human-readable <c>error</c> text, if any.</summary>
    public string? Error { get; }

    /// <summary>How long the server asked us to wait (<c>Retry-After</c> header, else <c>retry_after_ms</c>).</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The whole JSON body (user-interactive auth answers carry <c>flows</c> and <c>session</c> here).</summary>
    public JsonObject? Body { get; }

    /// <summary>The access token is no longer valid: this account needs to log in again. Never retried, and never
    /// answered by an automatic login (logins are rate-limited hard).</summary>
    public bool IsUnknownToken => ErrorCode == MatrixErrorCode.UnknownToken;

    /// <summary>The server rate-limited the request (429).</summary>
    public bool IsRateLimited => Status == HttpStatusCode.TooManyRequests || ErrorCode == MatrixErrorCode.LimitExceeded;

    /// <summary>Worth trying again later: rate limits and server-side failures (5xx).</summary>
    public bool IsTransient => IsRateLimited || (int)Status >= 500;

    /// <summary>A user-interactive auth challenge: 401 with <c>flows</c> in the body.</summary>
    public bool IsUserInteractiveAuthChallenge =>
        Status == HttpStatusCode.Unauthorized && Body?["flows"] is JsonArray;

    private static string FormatMessage(HttpStatusCode status, string errorCode, string? error) =>
        errorCode == MatrixErrorCode.UnknownToken
            ? $"This account needs to log in again: the homeserver no longer accepts its access token ({(int)status} {errorCode}: {error})."
            : $"Homeserver answered {(int)status} {errorCode}{(error is null ? "" : ": " + error)}";
}
