namespace WalkieTalkie.Interop;

/// <summary>The Matrix session of a peer after <c>register</c> or <c>login</c>.</summary>
public sealed record PeerSession(string UserId, string DeviceId, string AccessToken);
