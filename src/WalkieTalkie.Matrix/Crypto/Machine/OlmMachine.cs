using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Json;
using WalkieTalkie.Matrix.Crypto.Megolm;
using WalkieTalkie.Matrix.Crypto.Olm;

namespace WalkieTalkie.Matrix.Crypto.Machine;

/// <summary>The start of the sans-I/O crypto machine for one of our devices (after matrix-rust-sdk's OlmMachine):
/// sync data goes in, request bodies come out, no HTTP. It covers key upload and one-time key top-up, Olm session
/// setup from claimed keys, Olm to-device encryption and decryption with the spec's plaintext checks, room key
/// sharing and Megolm room events. State is in memory; the key store saves the parts with their <c>Save</c> methods.</summary>
public sealed class OlmMachine
{
    private const string OlmAlgorithm = "m.olm.v1.curve25519-aes-sha2";
    private const string MegolmAlgorithm = "m.megolm.v1.aes-sha2";
    private const string SignedCurve25519 = "signed_curve25519";

    private readonly Dictionary<string, List<OlmSession>> _olmSessions = new();
    private readonly Dictionary<(string UserId, string DeviceId), DeviceKeysInfo> _devices = new();
    private readonly Dictionary<(string RoomId, string SessionId), RoomKey> _roomKeys = new();
    private readonly Dictionary<string, OutboundGroupSession> _outboundGroupSessions = new();
    private readonly Dictionary<string, HashSet<(string UserId, string DeviceId)>> _sharedWith = new();
    private int? _serverOneTimeKeyCount;
    private bool _needsFallbackKey = true;
    private bool _deviceKeysUploaded;

    /// <summary>Wraps an account for <paramref name="userId"/>'s device <paramref name="deviceId"/>.</summary>
    public OlmMachine(string userId, string deviceId, OlmAccount account, bool deviceKeysUploaded = false)
    {
        UserId = userId;
        DeviceId = deviceId;
        Account = account;
        _deviceKeysUploaded = deviceKeysUploaded;
    }

    /// <summary>Our user.</summary>
    public string UserId { get; }
    /// <summary>Our device.</summary>
    public string DeviceId { get; }
    /// <summary>Our Olm account.</summary>
    public OlmAccount Account { get; }
    /// <summary>Replay protection for room events.</summary>
    public MegolmReplayGuard ReplayGuard { get; } = new();

    /// <summary>Our signed <c>device_keys</c>.</summary>
    public JsonObject DeviceKeys() => Account.DeviceKeys(UserId, DeviceId);

    /// <summary>Takes <c>device_one_time_keys_count</c> and <c>device_unused_fallback_key_types</c> from a sync.
    /// A missing count means 0; a list without <c>signed_curve25519</c> means the fallback key was used.</summary>
    public void ReceiveKeyCounts(JsonObject? oneTimeKeyCounts, JsonArray? unusedFallbackKeyTypes)
    {
        _serverOneTimeKeyCount = (int)Math.Clamp(JsonRead.Integer(oneTimeKeyCounts?[SignedCurve25519]) ?? 0, 0, int.MaxValue);
        if (unusedFallbackKeyTypes is not null)
            _needsFallbackKey = !unusedFallbackKeyTypes.Any(t => JsonRead.String(t) == SignedCurve25519);
    }

    /// <summary>The body of <c>POST /keys/upload</c> if anything needs uploading: our device keys the first time,
    /// one-time keys up to <see cref="OlmAccount.MaxServerOneTimeKeys"/>, and a new fallback key when the old one was
    /// used. Keys generated earlier but not confirmed are sent again rather than replaced.</summary>
    public JsonObject? KeysUploadRequest(DateTimeOffset now)
    {
        var unpublished = Account.UnpublishedOneTimeKeys.Count;
        if (_serverOneTimeKeyCount is { } count && count + unpublished < OlmAccount.MaxServerOneTimeKeys)
            Account.GenerateOneTimeKeys(OlmAccount.MaxServerOneTimeKeys - count - unpublished, now);
        if (_needsFallbackKey && Account.UnpublishedFallbackKey is null)
            Account.GenerateFallbackKey(now);

        var (oneTimeKeys, fallbackKeys) = Account.SignedUnpublishedKeys(UserId, DeviceId);
        if (_deviceKeysUploaded && oneTimeKeys.Count == 0 && fallbackKeys.Count == 0)
            return null;
        var body = new JsonObject();
        if (!_deviceKeysUploaded) body["device_keys"] = DeviceKeys();
        if (oneTimeKeys.Count > 0) body["one_time_keys"] = oneTimeKeys;
        if (fallbackKeys.Count > 0) body["fallback_keys"] = fallbackKeys;
        return body;
    }

    /// <summary>Call with the response of a successful <c>/keys/upload</c>.</summary>
    public void MarkKeysUploaded(JsonObject response)
    {
        Account.MarkKeysAsPublished();
        _deviceKeysUploaded = true;
        _needsFallbackKey = false;
        if (response["one_time_key_counts"] is JsonObject counts)
            _serverOneTimeKeyCount = (int)Math.Clamp(JsonRead.Integer(counts[SignedCurve25519]) ?? 0, 0, int.MaxValue);
    }

    /// <summary>Remembers a device from <c>/keys/query</c> (already checked by <see cref="DeviceKeysInfo.Verify"/>).
    /// A device whose Ed25519 key changed is refused: peers never accept re-keyed device ids.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.PayloadCheckFailed"/></exception>
    public void AddDevice(DeviceKeysInfo device)
    {
        if (_devices.TryGetValue((device.UserId, device.DeviceId), out var known) && known.Ed25519Key != device.Ed25519Key)
            throw new MatrixCryptoException(CryptoError.PayloadCheckFailed, $"device {device.DeviceId} of {device.UserId} changed its Ed25519 key");
        _devices[(device.UserId, device.DeviceId)] = device;
    }

    /// <summary>A device we know, if any.</summary>
    public DeviceKeysInfo? GetDevice(string userId, string deviceId) => _devices.GetValueOrDefault((userId, deviceId));

    /// <summary>Starts an Olm session from a <c>/keys/claim</c> result for the device:
    /// <c>{"signed_curve25519:&lt;id&gt;": {"key", "signatures"[, "fallback"]}}</c>. The key's signature is checked.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.BadSignature"/>, <see cref="CryptoError.InvalidJson"/>,
    /// <see cref="CryptoError.NonContributoryKey"/>.</exception>
    public void CreateOutboundSession(DeviceKeysInfo device, JsonObject claimedKeys)
    {
        var signed = claimedKeys.Where(k => k.Key.StartsWith(SignedCurve25519 + ":", StringComparison.Ordinal))
            .Select(k => k.Value).OfType<JsonObject>().FirstOrDefault()
            ?? throw new MatrixCryptoException(CryptoError.InvalidJson, "the claim holds no signed_curve25519 key");
        JsonSigning.EnsureValid(signed, device.UserId, device.DeviceId, device.Ed25519Key);
        var key = JsonRead.String(signed["key"]) ?? throw new MatrixCryptoException(CryptoError.InvalidJson, "the claimed key has no key");
        AddSession(device.Curve25519Key, Account.CreateOutboundSession(device.Curve25519Key, key));
    }

    /// <summary>True when we have an Olm session with the device.</summary>
    public bool HasOlmSession(DeviceKeysInfo device) => _olmSessions.ContainsKey(device.Curve25519Key);

    /// <summary>The <c>m.room.encrypted</c> to-device content carrying <paramref name="eventType"/> to <paramref name="device"/>,
    /// with the spec's Olm payload (sender, recipient, keys, recipient_keys, sender_device_keys).</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.UnknownSession"/> without an Olm session to the device.</exception>
    public JsonObject EncryptToDevice(DeviceKeysInfo device, string eventType, JsonObject content)
    {
        if (!_olmSessions.TryGetValue(device.Curve25519Key, out var sessions) || sessions.Count == 0)
            throw new MatrixCryptoException(CryptoError.UnknownSession, $"no Olm session with {device.UserId} {device.DeviceId}: claim a one-time key first");
        var payload = new JsonObject
        {
            ["type"] = eventType,
            ["content"] = content.DeepClone(),
            ["sender"] = UserId,
            ["recipient"] = device.UserId,
            ["keys"] = new JsonObject { ["ed25519"] = Account.Ed25519Key },
            ["recipient_keys"] = new JsonObject { ["ed25519"] = device.Ed25519Key },
            ["sender_device_keys"] = DeviceKeys(),
        };
        var message = sessions[0].Encrypt(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        return new JsonObject
        {
            ["algorithm"] = OlmAlgorithm,
            ["sender_key"] = Account.Curve25519Key,
            ["ciphertext"] = new JsonObject
            {
                [device.Curve25519Key] = new JsonObject { ["type"] = (int)message.Type, ["body"] = message.BodyBase64 },
            },
        };
    }

    /// <summary>Decrypts an <c>m.room.encrypted</c> to-device event and runs the spec's checks on the Olm payload.
    /// An <c>m.room_key</c> is stored as an inbound Megolm session. Nothing changes when it throws.</summary>
    /// <exception cref="MatrixCryptoException">Any decryption error, <see cref="CryptoError.PayloadCheckFailed"/>,
    /// <see cref="CryptoError.InvalidJson"/>.</exception>
    public DecryptedToDeviceEvent ReceiveToDeviceEvent(JsonObject toDeviceEvent)
    {
        if (JsonRead.String(toDeviceEvent["type"]) != "m.room.encrypted")
            throw new MatrixCryptoException(CryptoError.InvalidJson, "not an m.room.encrypted event");
        var sender = JsonRead.String(toDeviceEvent["sender"]) ?? throw Invalid("the event has no sender");
        if (toDeviceEvent["content"] is not JsonObject content || JsonRead.String(content["algorithm"]) != OlmAlgorithm)
            throw Invalid("the event is not Olm-encrypted");
        var senderKey = JsonRead.String(content["sender_key"]) ?? throw Invalid("the event has no sender_key");
        if (content["ciphertext"] is not JsonObject ciphertexts || ciphertexts[Account.Curve25519Key] is not JsonObject ours)
            throw Invalid("the event has no ciphertext for this device");
        var type = JsonRead.Integer(ours["type"]) ?? throw Invalid("the ciphertext has no type");
        var message = OlmMessage.FromBase64((int)Math.Clamp(type, -1, 2), JsonRead.String(ours["body"]) ?? throw Invalid("the ciphertext has no body"));

        var (plaintext, commit) = DecryptOlm(senderKey, message);
        var payload = ParseObject(plaintext, "Olm plaintext");
        var decrypted = CheckOlmPayload(payload, sender, senderKey);
        RoomKey? roomKey = decrypted.Type == "m.room_key" ? ParseRoomKey(decrypted) : null;

        commit();
        if (roomKey is not null)
            StoreRoomKey(roomKey);
        return decrypted;
    }

    /// <summary>Our outbound Megolm session for the room, replaced when the rotation policy says so.</summary>
    public OutboundGroupSession OutboundSessionFor(string roomId, MegolmRotationPolicy policy, DateTimeOffset now)
    {
        if (_outboundGroupSessions.TryGetValue(roomId, out var current) && !current.NeedsRotation(policy, now))
            return current;
        var session = OutboundGroupSession.Create(now);
        _outboundGroupSessions[roomId] = session;
        _sharedWith[session.SessionId] = new();
        // Our own events must decrypt for us too.
        StoreRoomKey(new RoomKey(roomId, InboundGroupSession.FromSessionKey(session.SessionKey), Account.Curve25519Key, Account.Ed25519Key));
        return session;
    }

    /// <summary>Drops the room's outbound session (membership change, history visibility change).</summary>
    public void DiscardOutboundSession(string roomId) => _outboundGroupSessions.Remove(roomId);

    /// <summary>The <c>/sendToDevice/m.room.encrypted</c> body sharing the room's current session with the devices that
    /// lack it, and the devices skipped because we have no Olm session with them (claim keys, then call again).</summary>
    public (JsonObject Body, IReadOnlyList<DeviceKeysInfo> MissingSessions) ShareRoomKey(string roomId, IEnumerable<DeviceKeysInfo> devices,
        MegolmRotationPolicy policy, DateTimeOffset now, bool sharedHistory = false)
    {
        var session = OutboundSessionFor(roomId, policy, now);
        var shared = _sharedWith[session.SessionId];
        var messages = new JsonObject();
        var missing = new List<DeviceKeysInfo>();
        var roomKey = new JsonObject
        {
            ["algorithm"] = MegolmAlgorithm,
            ["room_id"] = roomId,
            ["session_id"] = session.SessionId,
            ["session_key"] = session.SessionKey,
            ["shared_history"] = sharedHistory,
        };
        foreach (var device in devices)
        {
            if (shared.Contains((device.UserId, device.DeviceId)))
                continue;
            if (!HasOlmSession(device))
            {
                missing.Add(device);
                continue;
            }
            if (messages[device.UserId] is not JsonObject forUser)
                messages[device.UserId] = forUser = new JsonObject();
            forUser[device.DeviceId] = EncryptToDevice(device, "m.room_key", roomKey);
            shared.Add((device.UserId, device.DeviceId));
        }
        return (new JsonObject { ["messages"] = messages }, missing);
    }

    /// <summary>The <c>m.room.encrypted</c> content for a room event (share the room key first).</summary>
    public JsonObject EncryptRoomEvent(string roomId, string eventType, JsonObject content, MegolmRotationPolicy policy, DateTimeOffset now)
    {
        var session = OutboundSessionFor(roomId, policy, now);
        var plaintext = new JsonObject { ["type"] = eventType, ["content"] = content.DeepClone(), ["room_id"] = roomId };
        return new JsonObject
        {
            ["algorithm"] = MegolmAlgorithm,
            ["sender_key"] = Account.Curve25519Key,
            ["device_id"] = DeviceId,
            ["session_id"] = session.SessionId,
            ["ciphertext"] = session.Encrypt(Encoding.UTF8.GetBytes(plaintext.ToJsonString())),
        };
    }

    /// <summary>Decrypts an <c>m.room.encrypted</c> room event: session looked up by (room, session id) only, the plaintext's
    /// <c>room_id</c> checked, the (session, index) checked against replays.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.UnknownSession"/> (room key not here yet),
    /// <see cref="CryptoError.ReplayedMessage"/>, <see cref="CryptoError.PayloadCheckFailed"/>, and Megolm errors.</exception>
    public DecryptedRoomEvent DecryptRoomEvent(string roomId, JsonObject roomEvent)
    {
        if (roomEvent["content"] is not JsonObject content || JsonRead.String(content["algorithm"]) != MegolmAlgorithm)
            throw Invalid("the event is not Megolm-encrypted");
        var sessionId = JsonRead.String(content["session_id"]) ?? throw Invalid("the event has no session_id");
        var ciphertext = JsonRead.String(content["ciphertext"]) ?? throw Invalid("the event has no ciphertext");
        var eventId = JsonRead.String(roomEvent["event_id"]) ?? throw Invalid("the event has no event_id");
        var timestamp = JsonRead.Integer(roomEvent["origin_server_ts"]) ?? 0;
        if (!_roomKeys.TryGetValue((roomId, sessionId), out var roomKey))
            throw new MatrixCryptoException(CryptoError.UnknownSession, $"no room key for session {sessionId} in {roomId}");

        var result = roomKey.Session.Decrypt(ciphertext);
        var payload = ParseObject(result.Plaintext, "Megolm plaintext");
        if (JsonRead.String(payload["room_id"]) != roomId)
            throw new MatrixCryptoException(CryptoError.PayloadCheckFailed, "the event was encrypted for another room");
        var type = JsonRead.String(payload["type"]) ?? throw Invalid("the plaintext has no type");
        if (payload["content"] is not JsonObject innerContent)
            throw Invalid("the plaintext has no content");
        ReplayGuard.Check(roomId, sessionId, result.MessageIndex, eventId, timestamp);
        return new DecryptedRoomEvent(type, innerContent, sessionId, result.MessageIndex, roomKey.SenderCurve25519Key,
            roomKey.SenderClaimedEd25519Key, roomKey.Session.SigningKeyVerified);
    }

    /// <summary>The stored room key for a session, if any.</summary>
    public RoomKey? GetRoomKey(string roomId, string sessionId) => _roomKeys.GetValueOrDefault((roomId, sessionId));

    private (byte[] Plaintext, Action Commit) DecryptOlm(string senderKey, OlmMessage message)
    {
        var sessions = _olmSessions.GetValueOrDefault(senderKey) ?? [];
        if (message.Type == OlmMessageType.PreKey)
        {
            var preKey = PreKeyMessage.Decode(message);
            var existing = sessions.FirstOrDefault(s => s.MatchesInboundSession(preKey, senderKey));
            if (existing is not null)
                return TryOnCopy(senderKey, existing, message)
                    ?? throw new MatrixCryptoException(CryptoError.BadMac, "the pre-key message does not decrypt on its session");
            var (created, usedKey) = Account.CreateInboundSessionKeepingKey(message, senderKey);
            return (created.Plaintext, () =>
            {
                Account.ConsumeOneTimeKey(usedKey);
                AddSession(senderKey, created.Session);
            });
        }
        foreach (var session in sessions)
        {
            if (TryOnCopy(senderKey, session, message) is { } result)
                return result;
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
            });
        }
        catch (MatrixCryptoException)
        {
            return null;
        }
    }

    private DecryptedToDeviceEvent CheckOlmPayload(JsonObject payload, string sender, string senderKey)
    {
        if (JsonRead.String(payload["sender"]) != sender)
            throw Check("the Olm payload's sender is not the event's sender");
        if (JsonRead.String(payload["recipient"]) != UserId)
            throw Check("the Olm payload is for another user");
        if (payload["recipient_keys"] is not JsonObject recipientKeys || JsonRead.String(recipientKeys["ed25519"]) != Account.Ed25519Key)
            throw Check("the Olm payload is for another device");
        if (payload["keys"] is not JsonObject keys || JsonRead.String(keys["ed25519"]) is not { } claimedEd25519)
            throw Check("the Olm payload lacks the sender's ed25519 key");
        var type = JsonRead.String(payload["type"]) ?? throw Invalid("the Olm payload has no type");
        if (payload["content"] is not JsonObject content)
            throw Invalid("the Olm payload has no content");

        var device = _devices.Values.FirstOrDefault(d => d.Curve25519Key == senderKey);
        if (device is not null && (device.UserId != sender || device.Ed25519Key != claimedEd25519))
            throw Check("the sender's device keys do not match the Olm payload");
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
                throw Check("sender_device_keys does not match the Olm session and the claimed key");
            device ??= embeddedDevice;
        }
        return new DecryptedToDeviceEvent(type, content, sender, senderKey, claimedEd25519, device);
    }

    private static RoomKey ParseRoomKey(DecryptedToDeviceEvent decrypted)
    {
        var content = decrypted.Content;
        if (JsonRead.String(content["algorithm"]) != MegolmAlgorithm)
            throw Invalid("m.room_key for an unsupported algorithm");
        var roomId = JsonRead.String(content["room_id"]) ?? throw Invalid("m.room_key has no room_id");
        var sessionId = JsonRead.String(content["session_id"]) ?? throw Invalid("m.room_key has no session_id");
        var session = InboundGroupSession.FromSessionKey(JsonRead.String(content["session_key"]) ?? throw Invalid("m.room_key has no session_key"));
        if (session.SessionId != sessionId)
            throw Check("m.room_key's session_id does not match its session key");
        return new RoomKey(roomId, session, decrypted.SenderCurve25519Key, decrypted.SenderEd25519Key);
    }

    private void StoreRoomKey(RoomKey key)
    {
        // Keep the copy that reaches furthest back; never let a later copy replace an earlier one.
        if (_roomKeys.TryGetValue((key.RoomId, key.Session.SessionId), out var existing)
            && existing.Session.FirstKnownIndex <= key.Session.FirstKnownIndex)
            return;
        _roomKeys[(key.RoomId, key.Session.SessionId)] = key;
    }

    private void AddSession(string curve25519Key, OlmSession session)
    {
        if (!_olmSessions.TryGetValue(curve25519Key, out var list))
            _olmSessions[curve25519Key] = list = new List<OlmSession>();
        list.Insert(0, session);
    }

    private static JsonObject ParseObject(byte[] utf8, string what)
    {
        try
        {
            return JsonNode.Parse(utf8) as JsonObject ?? throw Invalid($"the {what} is not a JSON object");
        }
        catch (JsonException)
        {
            throw Invalid($"the {what} is not JSON");
        }
    }

    private static MatrixCryptoException Invalid(string why) => new(CryptoError.InvalidJson, why);
    private static MatrixCryptoException Check(string why) => new(CryptoError.PayloadCheckFailed, why);
}
