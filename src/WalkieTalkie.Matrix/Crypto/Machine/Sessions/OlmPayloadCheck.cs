using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Json;
using static WalkieTalkie.Matrix.Crypto.Machine.MachineInput;

namespace WalkieTalkie.Matrix.Crypto.Machine.Sessions;

/// <summary>The spec's checks on a decrypted Olm payload (<c>olm_plaintext</c>): sender, recipient, recipient_keys,
/// keys.ed25519 against the known device, and <c>sender_device_keys</c> (MSC4147) self-signed and matching.</summary>
internal static class OlmPayloadCheck
{
    /// <param name="payload">The decrypted payload.</param>
    /// <param name="sender">The to-device event's sender.</param>
    /// <param name="senderKey">The Curve25519 key of the Olm session that decrypted it.</param>
    /// <param name="ourUserId">Our user.</param>
    /// <param name="ourEd25519Key">Our device's Ed25519 key.</param>
    /// <param name="knownDevice">The device we know holding <paramref name="senderKey"/>, if any.</param>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.PayloadCheckFailed"/> or
    /// <see cref="CryptoError.InvalidJson"/> when a check fails.</exception>
    public static DecryptedToDeviceEvent Run(JsonObject payload, string sender, string senderKey, string ourUserId, string ourEd25519Key,
        DeviceKeysInfo? knownDevice)
    {
        if (JsonRead.String(payload["sender"]) != sender)
        {
            throw Check("the Olm payload's sender is not the event's sender");
        }

        if (JsonRead.String(payload["recipient"]) != ourUserId)
        {
            throw Check("the Olm payload is for another user");
        }

        if (payload["recipient_keys"] is not JsonObject recipientKeys || JsonRead.String(recipientKeys["ed25519"]) != ourEd25519Key)
        {
            throw Check("the Olm payload is for another device");
        }

        if (payload["keys"] is not JsonObject keys || JsonRead.String(keys["ed25519"]) is not { } claimedEd25519)
        {
            throw Check("the Olm payload lacks the sender's ed25519 key");
        }

        var type = JsonRead.String(payload["type"]) ?? throw Invalid("the Olm payload has no type");
        if (payload["content"] is not JsonObject content)
        {
            throw Invalid("the Olm payload has no content");
        }

        var device = knownDevice;
        if (device is not null && (device.UserId != sender || device.Ed25519Key != claimedEd25519))
        {
            throw Check("the sender's device keys do not match the Olm payload");
        }

        var embedded = payload["sender_device_keys"] as JsonObject ?? payload["org.matrix.msc4147.device_keys"] as JsonObject;
        if (embedded is not null)
        {
            var deviceId = JsonRead.String(embedded["device_id"]) ?? throw Check("sender_device_keys has no device_id");
            DeviceKeysInfo embeddedDevice;
            try
            {
                embeddedDevice = DeviceKeysInfo.Verify(embedded, sender, deviceId);
            }
            catch (MatrixCryptoException e)
            {
                throw Check("sender_device_keys is not valid: " + e.Message);
            }
            if (embeddedDevice.Curve25519Key != senderKey || embeddedDevice.Ed25519Key != claimedEd25519)
            {
                throw Check("sender_device_keys does not match the Olm session and the claimed key");
            }

            device ??= embeddedDevice;
        }
        return new DecryptedToDeviceEvent(type, content, sender, senderKey, claimedEd25519, device);
    }
}
