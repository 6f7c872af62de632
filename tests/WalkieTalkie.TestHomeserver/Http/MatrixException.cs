using System.Net;
using System.Text.Json.Nodes;

namespace WalkieTalkie.TestHomeserver.Http;

/// <summary>
/// A Matrix error response (<c>{"errcode":"M_…","error":"…"}</c>) raised by a handler. The error middleware turns
/// it into the HTTP response, so handlers can stop at the first failed check as a real server does.
/// </summary>
internal sealed class MatrixException(HttpStatusCode status, string? errcode, string error) : Exception(error)
{
    public HttpStatusCode Status { get; } = status;
    /// <summary>Null for the first user-interactive-auth challenge, which carries only flows.</summary>
    public string? Errcode { get; } = errcode;

    /// <summary>Extra top-level fields of the error body (e.g. <c>retry_after_ms</c>, <c>soft_logout</c>, UIA flows).</summary>
    public JsonObject Extra { get; } = new();

    /// <summary>Extra response headers (e.g. <c>Retry-After</c>).</summary>
    public Dictionary<string, string> Headers { get; } = new();

    public JsonObject ToBody()
    {
        var body = Errcode is null ? new JsonObject() : new JsonObject { ["errcode"] = Errcode, ["error"] = Message };
        foreach (var (key, value) in Extra)
        {
            body[key] = value?.DeepClone();
        }

        return body;
    }

    public static MatrixException NotFound(string error = "Not found") => new(HttpStatusCode.NotFound, "M_NOT_FOUND", error);
    public static MatrixException Forbidden(string error) => new(HttpStatusCode.Forbidden, "M_FORBIDDEN", error);
    public static MatrixException BadJson(string error) => new(HttpStatusCode.BadRequest, "M_BAD_JSON", error);
    public static MatrixException NotJson(string error = "Content not JSON.") => new(HttpStatusCode.BadRequest, "M_NOT_JSON", error);
    public static MatrixException MissingParam(string error) => new(HttpStatusCode.BadRequest, "M_MISSING_PARAM", error);
    public static MatrixException InvalidParam(string error) => new(HttpStatusCode.BadRequest, "M_INVALID_PARAM", error);
    public static MatrixException TooLarge(string error) => new(HttpStatusCode.RequestEntityTooLarge, "M_TOO_LARGE", error);
    public static MatrixException Unrecognized() => new(HttpStatusCode.NotFound, "M_UNRECOGNIZED", "Unrecognized request");

    public static MatrixException MissingToken() =>
        new(HttpStatusCode.Unauthorized, "M_MISSING_TOKEN", "Missing access token");

    public static MatrixException UnknownToken()
    {
        var e = new MatrixException(HttpStatusCode.Unauthorized, "M_UNKNOWN_TOKEN", "Invalid access token passed.");
        e.Extra["soft_logout"] = false;
        return e;
    }

    public static MatrixException LimitExceeded(TimeSpan retryAfter)
    {
        var e = new MatrixException((HttpStatusCode)429, "M_LIMIT_EXCEEDED", "Too Many Requests");
        var ms = (long)Math.Ceiling(retryAfter.TotalMilliseconds);
        e.Extra["retry_after_ms"] = ms;
        e.Headers["Retry-After"] = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
        return e;
    }
}
