using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace WalkieTalkie.Matrix.Client.Auth;

/// <summary>The <c>m.id.user</c> identifier of a login.</summary>
public sealed record UserIdentifier(
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("type")] string Type = "m.id.user");

/// <summary><c>POST /login</c> body for <c>m.login.password</c>.</summary>
public sealed record PasswordLoginRequest(
    [property: JsonPropertyName("identifier")] UserIdentifier Identifier,
    [property: JsonPropertyName("password")] string Password,
    [property: JsonPropertyName("device_id")] string? DeviceId,
    [property: JsonPropertyName("initial_device_display_name")] string? InitialDeviceDisplayName)
{
    [JsonPropertyName("type")] public string Type => "m.login.password";
}

/// <summary><c>POST /login</c> and <c>POST /register</c> answer.</summary>
public sealed record LoginResponse(
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("device_id")] string? DeviceId,
    [property: JsonPropertyName("access_token")] string? AccessToken);

/// <summary><c>GET /account/whoami</c> answer.</summary>
public sealed record WhoAmI(
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("device_id")] string? DeviceId,
    [property: JsonPropertyName("is_guest")] bool IsGuest = false);

/// <summary><c>POST /register</c> body.</summary>
internal sealed record RegisterRequest(
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("password")] string Password,
    [property: JsonPropertyName("device_id")] string? DeviceId,
    [property: JsonPropertyName("initial_device_display_name")] string? InitialDeviceDisplayName,
    [property: JsonPropertyName("auth")] JsonObject? Auth,
    [property: JsonPropertyName("inhibit_login")] bool InhibitLogin = false);

/// <summary>What to log in with when an account has no stored session.</summary>
/// <param name="User">The localpart or the full user id.</param>
/// <param name="Password">The account's password.</param>
/// <param name="DeviceId">The device id to keep (a badge keeps its device: its keys belong to that id).</param>
/// <param name="DeviceDisplayName">Shown in other clients' device lists.</param>
public sealed record PasswordCredentials(string User, string Password, string? DeviceId = null, string? DeviceDisplayName = null)
{
    public override string ToString() => $"{User} (device {DeviceId ?? "new"})";
}
