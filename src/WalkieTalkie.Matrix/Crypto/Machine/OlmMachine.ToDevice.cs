using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Json;
using WalkieTalkie.Matrix.Crypto.Megolm;
using WalkieTalkie.Matrix.Crypto.Olm;

namespace WalkieTalkie.Matrix.Crypto.Machine;

// Incoming to-device events: Olm decryption, the spec's payload checks, and what each event type does.
public sealed partial class OlmMachine
{
    private readonly Dictionary<(string RoomId, string SessionId), (string Code, string? Reason)> _withheld = new();

    private ProcessedToDeviceEvent ProcessToDeviceEvent(JsonObject toDevice)
    {
        var type = JsonRead.String(toDevice["type"]) ?? "";
        var sender = JsonRead.String(toDevice["sender"]) ?? "";
        var content = toDevice["content"] as JsonObject ?? new JsonObject();
        if (type != "m.room.encrypted")
        {
            return ProcessPlaintext(type, sender, content);
        }

        try
        {
            var decrypted = DecryptToDevice(toDevice);
            return ProcessDecrypted(decrypted);
        }
        catch (MatrixCryptoException e)
        {
            if (e.Error is CryptoError.BadMac or CryptoError.UnknownSession or CryptoError.UnknownOneTimeKey
                && JsonRead.String(content["sender_key"]) is { } senderKey)
            {
                ScheduleUnwedge(sender, senderKey);
            }

            return new ProcessedToDeviceEvent(ToDeviceOutcome.Failed, type, sender, content, JsonRead.String(content["sender_key"]), Error: e.Message);
        }
    }

    private ProcessedToDeviceEvent ProcessPlaintext(string type, string sender, JsonObject content)
    {
        switch (type)
        {
            case "m.room_key" or "m.forwarded_room_key":
                return new ProcessedToDeviceEvent(ToDeviceOutcome.Refused, type, sender, content, Error: "room keys are accepted only over Olm");
            case "m.room_key.withheld":
                if (JsonRead.String(content["room_id"]) is { } roomId && JsonRead.String(content["session_id"]) is { } sessionId
                    && JsonRead.String(content["code"]) is { } code && !_roomKeys.ContainsKey((roomId, sessionId)))
                {
                    // Informational only (anyone can send it): it explains a missing key, it never removes one.
                    _withheld[(roomId, sessionId)] = (code, JsonRead.String(content["reason"]));
                    _metadataDirty = true;
                }
                break;
        }
        // m.room_key_request: ignored by policy; badges share keys only through m.room_key.
        return new ProcessedToDeviceEvent(ToDeviceOutcome.Plaintext, type, sender, content);
    }

    private ProcessedToDeviceEvent ProcessDecrypted(DecryptedToDeviceEvent decrypted)
    {
        switch (decrypted.Type)
        {
            case "m.room_key":
                StoreRoomKey(ParseRoomKey(decrypted));
                break;
            case "m.forwarded_room_key":
                // Forwarded keys are only acceptable from our own verified devices, and a badge's user has no other
                // devices that would forward: refuse them all rather than trust a key of unknown origin.
                return new ProcessedToDeviceEvent(ToDeviceOutcome.Refused, decrypted.Type, decrypted.Sender, decrypted.Content,
                    decrypted.SenderCurve25519Key, decrypted.SenderDevice, "forwarded room keys are not accepted");
            case "m.dummy":
                break; // its only purpose was to start a new Olm session, which is done
        }
        return new ProcessedToDeviceEvent(ToDeviceOutcome.Decrypted, decrypted.Type, decrypted.Sender, decrypted.Content,
            decrypted.SenderCurve25519Key, decrypted.SenderDevice);
    }

    /// <summary>Decrypts an <c>m.room.encrypted</c> to-device event and runs the spec's checks on the Olm payload.
    /// The machine's state changes only when every check passed.</summary>
    private DecryptedToDeviceEvent DecryptToDevice(JsonObject toDeviceEvent)
    {
        var sender = JsonRead.String(toDeviceEvent["sender"]) ?? throw Invalid("the event has no sender");
        if (toDeviceEvent["content"] is not JsonObject content || JsonRead.String(content["algorithm"]) != OlmAlgorithm)
        {
            throw Invalid("the event is not Olm-encrypted");
        }

        var senderKey = JsonRead.String(content["sender_key"]) ?? throw Invalid("the event has no sender_key");
        if (content["ciphertext"] is not JsonObject ciphertexts || ciphertexts[Account.Curve25519Key] is not JsonObject ours)
        {
            throw Invalid("the event has no ciphertext for this device");
        }

        var type = JsonRead.Integer(ours["type"]) ?? throw Invalid("the ciphertext has no type");
        var message = OlmMessage.FromBase64((int)Math.Clamp(type, -1, 2), JsonRead.String(ours["body"]) ?? throw Invalid("the ciphertext has no body"));

        var (plaintext, commit) = DecryptOlm(senderKey, message);
        var payload = ParseObject(plaintext, "Olm plaintext");
        var decrypted = CheckOlmPayload(payload, sender, senderKey);
        if (decrypted.Type == "m.room_key")
        {
            ParseRoomKey(decrypted); // refuse a bad room key before anything is committed
        }

        commit();
        return decrypted;
    }

    private (byte[] Plaintext, Action Commit) DecryptOlm(string senderKey, OlmMessage message)
    {
        var sessions = _olmSessions.GetValueOrDefault(senderKey) ?? [];
        if (message.Type == OlmMessageType.PreKey)
        {
            var preKey = PreKeyMessage.Decode(message);
            var existing = sessions.FirstOrDefault(s => s.MatchesInboundSession(preKey, senderKey));
            if (existing is not null)
            {
                return TryOnCopy(senderKey, existing, message)
                    ?? throw new MatrixCryptoException(CryptoError.BadMac, "the pre-key message does not decrypt on its session");
            }

            var (created, usedKey) = Account.CreateInboundSessionKeepingKey(message, senderKey);
            return (created.Plaintext, () =>
            {
                Account.ConsumeOneTimeKey(usedKey);
                _accountDirty = true;
                AddOlmSession(senderKey, created.Session);
            });
        }
        foreach (var session in sessions)
        {
            if (TryOnCopy(senderKey, session, message) is { } result)
            {
                return result;
            }
        }
        throw new MatrixCryptoException(sessions.Count == 0 ? CryptoError.UnknownSession : CryptoError.BadMac,
            "no Olm session with the sender decrypts the message");
    }

    /// <summary>Decrypts on a copy of the session; the commit swaps the copy in.</summary>
    private (byte[], Action)? TryOnCopy(string senderKey, OlmSession session, OlmMessage message)
    {
        var copy = OlmSession.FromStateBytes(session.ToStateBytes());
        try
        {
            var plaintext = copy.Decrypt(message);
            return (plaintext, () =>
            {
                var list = _olmSessions[senderKey];
                list.Remove(session);
                list.Insert(0, copy); // the session that last received is the one to send with
                _dirtyOlmSessions[(senderKey, copy.SessionId)] = copy;
            });
        }
        catch (MatrixCryptoException)
        {
            return null;
        }
    }

    /// <summary>The spec's checks on a decrypted Olm payload (<c>olm_plaintext</c>): sender, recipient, recipient_keys,
    /// keys.ed25519 against the known device, and <c>sender_device_keys</c> (MSC4147) self-signed and matching.</summary>
    private DecryptedToDeviceEvent CheckOlmPayload(JsonObject payload, string sender, string senderKey)
    {
        if (JsonRead.String(payload["sender"]) != sender)
        {
            throw Check("the Olm payload's sender is not the event's sender");
        }

        if (JsonRead.String(payload["recipient"]) != UserId)
        {
            throw Check("the Olm payload is for another user");
        }

        if (payload["recipient_keys"] is not JsonObject recipientKeys || JsonRead.String(recipientKeys["ed25519"]) != Account.Ed25519Key)
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

        var device = DeviceByCurveKey(senderKey);
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

    private static RoomKey ParseRoomKey(DecryptedToDeviceEvent decrypted)
    {
        var content = decrypted.Content;
        if (JsonRead.String(content["algorithm"]) != MegolmAlgorithm)
        {
            throw Invalid("m.room_key for an unsupported algorithm");
        }

        var roomId = JsonRead.String(content["room_id"]) ?? throw Invalid("m.room_key has no room_id");
        var sessionId = JsonRead.String(content["session_id"]) ?? throw Invalid("m.room_key has no session_id");
        var session = InboundGroupSession.FromSessionKey(JsonRead.String(content["session_key"]) ?? throw Invalid("m.room_key has no session_key"));
        if (session.SessionId != sessionId)
        {
            throw Check("m.room_key's session_id does not match its session key");
        }

        return new RoomKey(roomId, session, decrypted.Sender, decrypted.SenderCurve25519Key, decrypted.SenderEd25519Key);
    }

    private static JsonObject ParseObject(byte[] utf8, string what) => JsonRead.ParseObject(utf8, what);
}
