using System.Text;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Json;
using WalkieTalkie.Matrix.Crypto.Machine.Identities;
using WalkieTalkie.Matrix.Crypto.Megolm;
using static WalkieTalkie.Matrix.Crypto.Machine.MachineInput;

namespace WalkieTalkie.Matrix.Crypto.Machine.GroupSessions;

/// <summary>The room keys we hold (inbound Megolm sessions, ours included), the <c>m.room_key.withheld</c> notices
/// that explain missing ones, and decrypting room events with them, replays refused.</summary>
internal sealed class InboundRoomKeys
{
    private readonly string _userId;
    private readonly IdentityManager _identities;
    private readonly MegolmReplayGuard _replayGuard = new();
    private readonly Dictionary<(string RoomId, string SessionId), RoomKey> _roomKeys = new();
    private readonly Dictionary<(string RoomId, string SessionId), (string Code, string? Reason)> _withheld = new();
    private readonly HashSet<(string RoomId, string SessionId)> _changedKeys = new();
    private readonly List<MegolmReplayEntry> _newReplayEntries = new();
    private bool _metadataChanged;

    public InboundRoomKeys(string userId, IdentityManager identities)
    {
        _userId = userId;
        _identities = identities;
    }

    public bool HasChanges => _metadataChanged || _changedKeys.Count > 0 || _newReplayEntries.Count > 0;

    public bool Has(string roomId, string sessionId) => _roomKeys.ContainsKey((roomId, sessionId));

    public void Store(RoomKey key)
    {
        // Keep the copy that reaches furthest back; a later copy never replaces an earlier one.
        if (_roomKeys.TryGetValue((key.RoomId, key.Session.SessionId), out var existing)
            && existing.Session.FirstKnownIndex <= key.Session.FirstKnownIndex)
        {
            return;
        }

        _roomKeys[(key.RoomId, key.Session.SessionId)] = key;
        _withheld.Remove((key.RoomId, key.Session.SessionId));
        _changedKeys.Add((key.RoomId, key.Session.SessionId));
    }

    /// <summary>An <c>m.room_key.withheld</c> content: recorded for a session we have no key for.</summary>
    public void ReceiveWithheld(JsonObject content)
    {
        if (JsonRead.String(content["room_id"]) is { } roomId && JsonRead.String(content["session_id"]) is { } sessionId
            && JsonRead.String(content["code"]) is { } code && !_roomKeys.ContainsKey((roomId, sessionId)))
        {
            // Informational only (anyone can send it): it explains a missing key, it never removes one.
            _withheld[(roomId, sessionId)] = (code, JsonRead.String(content["reason"]));
            _metadataChanged = true;
        }
    }

    /// <summary>Decrypts an <c>m.room.encrypted</c> timeline event of <paramref name="roomId"/>; see
    /// <see cref="OlmMachine.DecryptRoomEvent(string, string)"/> for the checks.</summary>
    public DecryptedRoomEvent Decrypt(string roomId, string eventJson)
    {
        var roomEvent = ParseObject(Encoding.UTF8.GetBytes(eventJson), "room event");
        if (roomEvent["content"] is not JsonObject content || JsonRead.String(content["algorithm"]) != MatrixAlgorithms.Megolm)
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

        var device = _identities.DeviceByCurveKey(roomKey.SenderCurve25519Key);
        if (device is not null && (device.UserId != sender || device.Ed25519Key != roomKey.SenderClaimedEd25519Key))
        {
            throw Check("the device that shared the room key does not match the sender's device list");
        }

        _replayGuard.Check(roomId, sessionId, result.MessageIndex, eventId, timestamp);
        _newReplayEntries.Add(new MegolmReplayEntry(roomId, sessionId, result.MessageIndex, eventId, timestamp));
        var verification = device is null ? VerificationState.UnknownDevice
            : _identities.IsCrossSigned(device) ? VerificationState.CrossSigned : VerificationState.NotCrossSigned;
        if (device is null && sender != _userId)
        {
            _identities.Track(sender); // learn the device for the next events
        }

        return new DecryptedRoomEvent(type, innerContent, sender, roomKey.SenderCurve25519Key, device, verification, sessionId, result.MessageIndex);
    }

    public void TakeChanges(CryptoChanges changes)
    {
        foreach (var id in _changedKeys)
        {
            changes.RoomKeys.Add((_roomKeys[id], _roomKeys[id].Session.ToStateBytes()));
        }

        changes.ReplayEntries.AddRange(_newReplayEntries);
        _changedKeys.Clear();
        _newReplayEntries.Clear();
        _metadataChanged = false;
    }

    public void WriteMetadata(JsonObject metadata) =>
        metadata["withheld"] = new JsonArray(_withheld.Select(w => (JsonNode)new JsonArray(w.Key.RoomId, w.Key.SessionId, w.Value.Code, w.Value.Reason)).ToArray());

    public void Restore(IEnumerable<(string RoomId, string SenderUserId, string SenderCurve25519Key, string SenderEd25519Key, byte[] State)> roomKeys,
        IEnumerable<MegolmReplayEntry> replayEntries, JsonObject metadata)
    {
        foreach (var (roomId, senderUser, senderCurve, senderEd, bytes) in roomKeys)
        {
            var session = InboundGroupSession.FromStateBytes(bytes);
            _roomKeys[(roomId, session.SessionId)] = new RoomKey(roomId, session, senderUser, senderCurve, senderEd);
        }
        foreach (var entry in replayEntries)
        {
            _replayGuard.Restore(entry);
        }

        foreach (var w in (metadata["withheld"] as JsonArray ?? []).OfType<JsonArray>())
        {
            if (w.Count == 4 && JsonRead.String(w[0]) is { } room && JsonRead.String(w[1]) is { } session && JsonRead.String(w[2]) is { } code)
            {
                _withheld[(room, session)] = (code, JsonRead.String(w[3]));
            }
        }
    }
}
