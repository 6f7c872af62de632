using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Json;

namespace WalkieTalkie.Matrix.Crypto.Machine;

/// <summary>A device's identity keys from <c>/keys/query</c> (or MSC4147 <c>sender_device_keys</c>), only created
/// after its user id and device id match and its self-signature verifies.</summary>
public sealed record DeviceKeysInfo(string UserId, string DeviceId, string Curve25519Key, string Ed25519Key, JsonObject DeviceKeys)
{
    /// <summary>Checks a <c>device_keys</c> object as the spec requires for <c>/keys/query</c> results.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.PayloadCheckFailed"/> for mismatching ids or missing keys,
    /// <see cref="CryptoError.BadSignature"/> for a missing or invalid self-signature.</exception>
    public static DeviceKeysInfo Verify(JsonObject deviceKeys, string expectedUserId, string expectedDeviceId)
    {
        if (JsonRead.String(deviceKeys["user_id"]) != expectedUserId || JsonRead.String(deviceKeys["device_id"]) != expectedDeviceId)
        {
            throw new MatrixCryptoException(CryptoError.PayloadCheckFailed, "device keys are for another user or device than listed");
        }

        if (deviceKeys["keys"] is not JsonObject keys
            || JsonRead.String(keys["curve25519:" + expectedDeviceId]) is not { } curve
            || JsonRead.String(keys["ed25519:" + expectedDeviceId]) is not { } ed)
        {
            throw new MatrixCryptoException(CryptoError.PayloadCheckFailed, "device keys lack a curve25519 or ed25519 key");
        }

        JsonSigning.EnsureValid(deviceKeys, expectedUserId, expectedDeviceId, ed);
        return new DeviceKeysInfo(expectedUserId, expectedDeviceId, curve, ed, (JsonObject)deviceKeys.DeepClone());
    }
}
