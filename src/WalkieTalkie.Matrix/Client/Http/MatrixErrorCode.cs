namespace WalkieTalkie.Matrix.Client.Http;

/// <summary>The Matrix <c>errcode</c> values this layer looks at.</summary>
public static class MatrixErrorCode
{
    public const string Forbidden = "M_FORBIDDEN";
    public const string UnknownToken = "M_UNKNOWN_TOKEN";
    public const string MissingToken = "M_MISSING_TOKEN";
    public const string LimitExceeded = "M_LIMIT_EXCEEDED";
    public const string NotFound = "M_NOT_FOUND";
    public const string TooLarge = "M_TOO_LARGE";
    public const string UserInUse = "M_USER_IN_USE";
    public const string Unknown = "M_UNKNOWN";

    /// <summary>Used when an answer had no JSON <c>errcode</c> (a proxy error page, an empty body).</summary>
    public const string Unrecognized = "M_UNRECOGNIZED";
}
