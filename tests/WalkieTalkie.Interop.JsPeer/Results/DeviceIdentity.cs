namespace WalkieTalkie.Interop;

/// <summary>The peer's own device and its identity keys (unpadded base64).</summary>
public sealed record DeviceIdentity(string UserId, string DeviceId, string Ed25519, string Curve25519);
