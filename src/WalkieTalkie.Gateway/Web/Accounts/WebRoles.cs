namespace WalkieTalkie.Gateway.Web.Accounts;

/// <summary>The roles of a gateway-local web account: an admin runs the site (the console), a member talks and listens.</summary>
public static class WebRoles
{
    public const string Admin = "admin";
    public const string Member = "member";

    public static bool IsKnown(string? role) => role is Admin or Member;
}
