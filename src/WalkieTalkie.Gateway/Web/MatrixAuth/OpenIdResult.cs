namespace WalkieTalkie.Gateway.Web.MatrixAuth;

/// <summary>What the homeserver said of an OpenID token: the user it proves, or why not (refused, or the server could not be asked).</summary>
public sealed record OpenIdResult(string? UserId, string? Problem, bool IsUnavailable)
{
    public static OpenIdResult Verified(string userId) => new(userId, null, false);

    public static OpenIdResult Refused(string problem) => new(null, problem, false);

    public static OpenIdResult Unavailable(string problem) => new(null, problem, true);
}
