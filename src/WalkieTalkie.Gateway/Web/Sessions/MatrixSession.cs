namespace WalkieTalkie.Gateway.Web.Sessions;

/// <summary>A browser whose Matrix user was proved by an OpenID token: its user, its Matrix device, its registry device, its room.</summary>
public sealed record MatrixSession(string UserId, string MatrixDeviceId, string DeviceId, string RoomId, DateTimeOffset Until);
