using System.Text.Json.Serialization;

namespace WalkieTalkie.Matrix.Client.Sessions;

/// <summary>
/// What a logged-in account needs to talk to its homeserver again without logging in: the access token is a
/// secret (whoever holds it is that device).
/// </summary>
public sealed record MatrixSession(
    [property: JsonPropertyName("homeserver")] Uri Homeserver,
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("device_id")] string DeviceId,
    [property: JsonPropertyName("access_token")] string AccessToken)
{
    /// <summary>Never prints the token.</summary>
    public override string ToString() => $"{UserId} / {DeviceId} on {Homeserver}";
}
