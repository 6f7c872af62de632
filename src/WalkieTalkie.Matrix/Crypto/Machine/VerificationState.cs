namespace WalkieTalkie.Matrix.Crypto.Machine;

/// <summary>How much we know about the device that sent a room event (after rust-sdk's verification state and
/// js-sdk's shields).</summary>
public enum VerificationState
{
    /// <summary>The device is signed by its owner's self-signing key, which the owner's master key signs.</summary>
    CrossSigned,
    /// <summary>The device is known and its keys match, but its owner did not cross-sign it (js-sdk: UNSIGNED_DEVICE).</summary>
    NotCrossSigned,
    /// <summary>The device that shared the room key is not (yet) in the sender's device list (js-sdk: UNKNOWN_DEVICE).</summary>
    UnknownDevice,
}
