namespace WalkieTalkie.Interop;

/// <summary>How the peer's Rust crypto judges another device (<c>getDeviceVerificationStatus</c>).</summary>
/// <param name="Known">False when the device is not in the peer's device list at all.</param>
/// <param name="SignedByOwner">The device is signed by its owner's self-signing key, whose master key the peer
/// trusts on first use: what Element's "exclude insecure devices" mode requires.</param>
public sealed record DeviceTrust(bool Known, bool SignedByOwner, bool CrossSigningVerified, bool LocallyVerified, bool Verified);
