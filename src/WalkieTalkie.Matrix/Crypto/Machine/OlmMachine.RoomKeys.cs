using System.Text;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Json;
using WalkieTalkie.Matrix.Crypto.Machine.Requests;
using WalkieTalkie.Matrix.Crypto.Megolm;

namespace WalkieTalkie.Matrix.Crypto.Machine;

// Megolm: sharing our room keys, encrypting and decrypting room events.
public sealed partial class OlmMachine
{
    private const int DevicesPerToDeviceRequest = 100;

    private readonly Dictionary<(string RoomId, string SessionId), RoomKey> _roomKeys = new();
    private readonly Dictionary<string, OutboundRoomSession> _outbound = new();
    private readonly HashSet<(string UserId, string DeviceId)> _noOlmNotified = new();

    /// <summary>Makes sure every device of <paramref name="userIds"/> (the room's members) that may have it gets our
    /// room key, rotating the session when its policy says so or when a device that had it is no longer a recipient.
    /// Returns the next requests to perform: key queries first, then key claims, then the to-device messages
    /// (<c>m.room_key</c> over Olm, <c>m.room_key.withheld</c>). Perform them, report each with
    /// <see cref="MarkRequestAsSent"/>, and call again until it returns nothing; then <see cref="EncryptRoomEvent"/>.
    /// Save the machine's changes before sending the to-device requests.</summary>
    public IReadOnlyList<OutgoingRequest> ShareRoomKey(string roomId, IEnumerable<string> userIds, EncryptionSettings? settings = null)
    {
        settings ??= EncryptionSettings.Default;
        var users = userIds.Distinct().ToList();
        foreach (var user in users)
        {
            Track(user);
        }

        var outdated = users.Where(u => _tracked[u].Outdated).ToList();
        if (outdated.Count > 0)
        {
            return QueriesFor(outdated);
        }

        var now = Now;
        var all = users.SelectMany(DevicesOf).Where(d => !(d.UserId == UserId && d.DeviceId == DeviceId)).ToList();
        var allowed = all.Where(d => !settings.OnlyCrossSignedDevices || IsCrossSigned(d)).ToList();
        var allowedIds = allowed.Select(d => (d.UserId, d.DeviceId)).ToHashSet();

        var outbound = _outbound.GetValueOrDefault(roomId);
        if (outbound is null || outbound.Session.NeedsRotation(settings.Rotation, now) || outbound.SharedHistory != settings.SharedHistory
            || outbound.SharedWith.Any(id => !allowedIds.Contains(id)))
        {
            outbound = NewOutboundSession(roomId, settings, now);
        }

        outbound.Rotation = settings.Rotation;

        bool Lacks(DeviceKeysInfo d) => !outbound.SharedWith.Contains((d.UserId, d.DeviceId))
            && !outbound.PendingShares.Values.Any(p => p.Contains((d.UserId, d.DeviceId)));
        var withoutSession = allowed.Where(d => Lacks(d) && !HasOlmSession(d) && !_noOlmDevices.Contains((d.UserId, d.DeviceId))).ToList();
        if (withoutSession.Count > 0)
        {
            return ClaimFor(withoutSession);
        }

        var requests = outbound.PendingShares.Keys.Select(id => _pending[id].Request).ToList();
        var toShare = allowed.Where(d => Lacks(d) && HasOlmSession(d)).ToList();
        var roomKey = new JsonObject
        {
            ["algorithm"] = MegolmAlgorithm,
            ["room_id"] = roomId,
            ["session_id"] = outbound.Session.SessionId,
            ["session_key"] = outbound.Session.SessionKey,
            ["shared_history"] = settings.SharedHistory,
        };
        foreach (var chunk in toShare.Chunk(DevicesPerToDeviceRequest))
        {
            requests.Add(RoomKeyRequest(outbound, chunk, roomKey));
        }

        var unverified = all.Where(d => !allowedIds.Contains((d.UserId, d.DeviceId)) && outbound.WithheldFrom.Add((d.UserId, d.DeviceId))).ToList();
        if (unverified.Count > 0)
        {
            requests.Add(WithheldRequest(unverified, new JsonObject
            {
                ["algorithm"] = MegolmAlgorithm, ["room_id"] = roomId, ["session_id"] = outbound.Session.SessionId,
                ["sender_key"] = Account.Curve25519Key, ["code"] = "m.unverified",
                ["reason"] = "The sender shares keys only with devices cross-signed by their owner.",
            }));
        }

        var noOlm = allowed.Where(d => _noOlmDevices.Contains((d.UserId, d.DeviceId)) && _noOlmNotified.Add((d.UserId, d.DeviceId))).ToList();
        if (noOlm.Count > 0)
        {
            requests.Add(WithheldRequest(noOlm, new JsonObject
            {
                ["algorithm"] = MegolmAlgorithm, ["sender_key"] = Account.Curve25519Key, ["code"] = "m.no_olm",
                ["reason"] = "Unable to establish a secure channel.",
            }));
        }

        _metadataDirty = true;
        return requests;
    }

    /// <summary>Encrypts a room event with the room's Megolm session; returns the <c>m.room.encrypted</c> content JSON
    /// (algorithm, sender_key, device_id, session_id, ciphertext, and the event's <c>m.relates_to</c> in the clear). Call <see cref="ShareRoomKey"/> first, every time:
    /// it rotates the session when due.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.UnknownSession"/> when the room has no current session
    /// (not shared yet, or due for rotation); <see cref="CryptoError.InvalidJson"/> for content that is not a JSON object.</exception>
    public string EncryptRoomEvent(string roomId, string eventType, string contentJson)
    {
        if (!_outbound.TryGetValue(roomId, out var outbound) || outbound.Session.NeedsRotation(outbound.Rotation, Now))
        {
            throw new MatrixCryptoException(CryptoError.UnknownSession, $"no current Megolm session in {roomId}: call ShareRoomKey first");
        }

        var content = ParseObject(Encoding.UTF8.GetBytes(contentJson), "event content");
        var plaintext = new JsonObject { ["type"] = eventType, ["content"] = content, ["room_id"] = roomId };
        var ciphertext = outbound.Session.Encrypt(Encoding.UTF8.GetBytes(plaintext.ToJsonString()));
        _dirtyOutbound.Add(roomId);
        var encrypted = new JsonObject
        {
            ["algorithm"] = MegolmAlgorithm,
            ["sender_key"] = Account.Curve25519Key,
            ["device_id"] = DeviceId,
            ["session_id"] = outbound.Session.SessionId,
            ["ciphertext"] = ciphertext,
        };
        // The spec keeps relations outside the ciphertext ("Mixing relations and encryption") so that servers can
        // aggregate them and clients place events in threads before (or without) decrypting: js-sdk reads a thread
        // root from the wire content. The plaintext keeps its copy too, as matrix-rust-sdk does.
        if (content["m.relates_to"] is JsonObject relation)
        {
            encrypted["m.relates_to"] = relation.DeepClone();
        }

        return encrypted.ToJsonString();
    }

    /// <summary>Drops the room's outbound session, so the next <see cref="ShareRoomKey"/> starts a new one (history
    /// visibility or encryption settings changed).</summary>
    public void DiscardRoomKey(string roomId)
    {
        if (_outbound.Remove(roomId))
        {
            _dirtyOutbound.Add(roomId);
        }
    }

    /// <summary>Decrypts a timeline event of type <c>m.room.encrypted</c> (a sync's timeline event, which has no
    /// <c>room_id</c>, hence <paramref name="roomId"/>). The session is found by (room, session id) only; the plaintext's
    /// <c>room_id</c>, the event's sender against the user that gave us the key, and the (session, index) against
    /// replays are checked.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.UnknownSession"/> (key not here yet: retry when a
    /// key arrives), <see cref="CryptoError.RoomKeyWithheld"/>, <see cref="CryptoError.ReplayedMessage"/>,
    /// <see cref="CryptoError.PayloadCheckFailed"/>, <see cref="CryptoError.InvalidJson"/>, and Megolm errors.</exception>
    public DecryptedRoomEvent DecryptRoomEvent(string roomId, string eventJson)
    {
        var roomEvent = ParseObject(Encoding.UTF8.GetBytes(eventJson), "room event");
        if (roomEvent["content"] is not JsonObject content || JsonRead.String(content["algorithm"]) != MegolmAlgorithm)
        {
            throw Invalid("the event is not Megolm-encrypted");
        }

        var sender = JsonRead.String(roomEvent["sender"]) ?? throw Invalid("the event has no sender");
        var sessionId = JsonRead.String(content["session_id"]) ?? throw Invalid("the event has no session_id");
        var ciphertext = JsonRead.String(content["ciphertext"]) ?? throw Invalid("the event has no ciphertext");
        var eventId = JsonRead.String(roomEvent["event_id"]) ?? throw Invalid("the event has no event_id");
        var timestamp = JsonRead.Integer(roomEvent["origin_server_ts"]) ?? 0;
        if (!_roomKeys.TryGetValue((roomId, sessionId), out var roomKey))
        {
            if (_withheld.TryGetValue((roomId, sessionId), out var withheld))
            {
                throw new MatrixCryptoException(CryptoError.RoomKeyWithheld, $"the sender withheld the room key: {withheld.Code} {withheld.Reason}");
            }

            throw new MatrixCryptoException(CryptoError.UnknownSession, $"no room key for session {sessionId} in {roomId}");
        }
        if (roomKey.SenderUserId != sender)
        {
            throw Check($"the room key came from {roomKey.SenderUserId}, not from the event's sender {sender}");
        }

        var result = roomKey.Session.Decrypt(ciphertext);
        var payload = ParseObject(result.Plaintext, "Megolm plaintext");
        if (JsonRead.String(payload["room_id"]) != roomId)
        {
            throw Check("the event was encrypted for another room");
        }

        var type = JsonRead.String(payload["type"]) ?? throw Invalid("the plaintext has no type");
        if (payload["content"] is not JsonObject innerContent)
        {
            throw Invalid("the plaintext has no content");
        }

        var device = DeviceByCurveKey(roomKey.SenderCurve25519Key);
        if (device is not null && (device.UserId != sender || device.Ed25519Key != roomKey.SenderClaimedEd25519Key))
        {
            throw Check("the device that shared the room key does not match the sender's device list");
        }

        ReplayGuard.Check(roomId, sessionId, result.MessageIndex, eventId, timestamp);
        _newReplayEntries.Add(new MegolmReplayEntry(roomId, sessionId, result.MessageIndex, eventId, timestamp));
        var verification = device is null ? VerificationState.UnknownDevice
            : IsCrossSigned(device) ? VerificationState.CrossSigned : VerificationState.NotCrossSigned;
        if (device is null && sender != UserId)
        {
            Track(sender); // learn the device for the next events
        }

        return new DecryptedRoomEvent(type, innerContent, sender, roomKey.SenderCurve25519Key, device, verification, sessionId, result.MessageIndex);
    }

    /// <summary>Like <see cref="DecryptRoomEvent(string, string)"/> for an event that carries its <c>room_id</c>.</summary>
    public DecryptedRoomEvent DecryptRoomEvent(string eventJson)
    {
        var roomId = JsonRead.String(ParseObject(Encoding.UTF8.GetBytes(eventJson), "room event")["room_id"])
            ?? throw Invalid("the event has no room_id: pass it");
        return DecryptRoomEvent(roomId, eventJson);
    }

    /// <summary>True when we hold a room key for the session.</summary>
    public bool HasRoomKey(string roomId, string sessionId) => _roomKeys.ContainsKey((roomId, sessionId));

    private OutboundRoomSession NewOutboundSession(string roomId, EncryptionSettings settings, DateTimeOffset now)
    {
        var outbound = new OutboundRoomSession(roomId, OutboundGroupSession.Create(now), settings.SharedHistory, settings.Rotation);
        _outbound[roomId] = outbound;
        _dirtyOutbound.Add(roomId);
        // Our own events must decrypt for us too.
        StoreRoomKey(new RoomKey(roomId, InboundGroupSession.FromSessionKey(outbound.Session.SessionKey), UserId, Account.Curve25519Key, Account.Ed25519Key));
        return outbound;
    }

    private ToDeviceRequest RoomKeyRequest(OutboundRoomSession outbound, IReadOnlyList<DeviceKeysInfo> devices, JsonObject roomKey)
    {
        var messages = new JsonObject();
        foreach (var device in devices)
        {
            if (messages[device.UserId] is not JsonObject forUser)
            {
                messages[device.UserId] = forUser = new JsonObject();
            }

            forUser[device.DeviceId] = EncryptToDevice(device, "m.room_key", roomKey);
        }
        var ids = devices.Select(d => (d.UserId, d.DeviceId)).ToList();
        var request = new ToDeviceRequest(NewRequestId(), "m.room.encrypted", new JsonObject { ["messages"] = messages }.ToJsonString());
        Register(request, _ =>
        {
            outbound.PendingShares.Remove(request.RequestId);
            outbound.SharedWith.UnionWith(ids);
            _dirtyOutbound.Add(outbound.RoomId);
        }, () => outbound.PendingShares.Remove(request.RequestId), inOutgoingQueue: false);
        outbound.PendingShares[request.RequestId] = ids;
        return request;
    }

    private ToDeviceRequest WithheldRequest(IEnumerable<DeviceKeysInfo> devices, JsonObject content)
    {
        var messages = new JsonObject();
        foreach (var device in devices)
        {
            if (messages[device.UserId] is not JsonObject forUser)
            {
                messages[device.UserId] = forUser = new JsonObject();
            }

            forUser[device.DeviceId] = content.DeepClone();
        }
        return Register(new ToDeviceRequest(NewRequestId(), "m.room_key.withheld", new JsonObject { ["messages"] = messages }.ToJsonString()),
            _ => { }, inOutgoingQueue: false);
    }

    private void StoreRoomKey(RoomKey key)
    {
        // Keep the copy that reaches furthest back; a later copy never replaces an earlier one.
        if (_roomKeys.TryGetValue((key.RoomId, key.Session.SessionId), out var existing)
            && existing.Session.FirstKnownIndex <= key.Session.FirstKnownIndex)
        {
            return;
        }

        _roomKeys[(key.RoomId, key.Session.SessionId)] = key;
        _withheld.Remove((key.RoomId, key.Session.SessionId));
        _dirtyRoomKeys.Add((key.RoomId, key.Session.SessionId));
    }
}
