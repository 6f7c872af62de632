namespace WalkieTalkie.Interop;

/// <summary>The Rust crypto's device isolation mode (which devices the peer shares room keys with and decrypts
/// from).</summary>
public enum DeviceIsolation
{
    /// <summary><c>AllDevicesIsolationMode</c>: all devices, unverified included (js-sdk's default).</summary>
    AllDevices,

    /// <summary><c>OnlySignedDevicesIsolationMode</c>: only devices signed by their owner; events from others fail
    /// to decrypt. Element's "never send to/receive from unverified sessions" setting.</summary>
    OnlySignedDevices,
}
