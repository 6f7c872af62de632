namespace WalkieTalkie.Interop;

/// <summary>How the peer's Rust crypto judges another device (<c>getDeviceVerificationStatus</c>).</summary>
/// <param name="Known">False when the device is not in the peer's device list at all.</param>
/// <param name="SignedByOwner">The device is signed by its owner's self-signing key, whose master key the peer
/// trusts on first use: what Element's "exclude insecure devices" mode requires.</param>
/// <param name="CrossSigningVerified">The device is signed by its owner and the peer has verified the owner.</param>
/// <param name="LocallyVerified">The peer marked the device verified locally.</param>
/// <param name="Verified">js-sdk's overall <c>isVerified()</c>.</param>
public sealed record DeviceTrust(bool Known, bool SignedByOwner, bool CrossSigningVerified, bool LocallyVerified, bool Verified);
