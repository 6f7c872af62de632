using System.Text.Json.Nodes;

namespace WalkieTalkie.Matrix.Crypto.Machine;

/// <summary>An Olm-encrypted to-device event after decryption and the spec's checks.</summary>
/// <param name="Type">The inner event type (e.g. <c>m.room_key</c>).</param>
/// <param name="Content">The inner content.</param>
/// <param name="Sender">The sending user (checked against the plaintext).</param>
/// <param name="SenderCurve25519Key">The sending device's Curve25519 key (the Olm session's).</param>
/// <param name="SenderEd25519Key">The Ed25519 key the sender claims (checked against the device when it is known).</param>
/// <param name="SenderDevice">The sending device, if its keys are known and consistent.</param>
public sealed record DecryptedToDeviceEvent(string Type, JsonObject Content, string Sender, string SenderCurve25519Key,
    string SenderEd25519Key, DeviceKeysInfo? SenderDevice);
