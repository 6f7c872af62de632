using System.Text;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Json;
using WalkieTalkie.Matrix.Crypto.Machine.Identities;
using WalkieTalkie.Matrix.Crypto.Machine.Requests;
using WalkieTalkie.Matrix.Crypto.Machine.Sessions;
using WalkieTalkie.Matrix.Crypto.Megolm;
using WalkieTalkie.Matrix.Crypto.Olm;
using static WalkieTalkie.Matrix.Crypto.Machine.MachineInput;

namespace WalkieTalkie.Matrix.Crypto.Machine.GroupSessions;

/// <summary>Our outbound Megolm session per room, after matrix-rust-sdk's GroupSessionManager: who gets the room key
/// (and who is told it is withheld), rotation, and encrypting room events.</summary>
internal sealed class GroupSessionManager
{
    private const int DevicesPerToDeviceRequest = 100;

    private readonly string _userId;
    private readonly string _deviceId;
    private readonly OlmAccount _account;
    private readonly IdentityManager _identities;
    private readonly SessionManager _sessions;
    private readonly InboundRoomKeys _roomKeys;
    private readonly PendingRequests _requests;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, OutboundRoomSession> _outbound = new();
    /// <summary>Devices told <c>m.no_olm</c> (once, until their keys change and a claim succeeds).</summary>
    private readonly HashSet<(string UserId, string DeviceId)> _noOlmNotified = new();
    private readonly HashSet<string> _changedRooms = new();
    private bool _metadataChanged;

    public GroupSessionManager(string userId, string deviceId, OlmAccount account, IdentityManager identities, SessionManager sessions,
        InboundRoomKeys roomKeys, PendingRequests requests, TimeProvider time)
    {
        _userId = userId;
        _deviceId = deviceId;
        _account = account;
        _identities = identities;
        _sessions = sessions;
        _roomKeys = roomKeys;
        _requests = requests;
        _time = time;
    }

    public bool HasChanges => _metadataChanged || _changedRooms.Count > 0;

    /// <summary>The next requests to get the room key to every device of <paramref name="userIds"/> that may have it;
    /// see <see cref="OlmMachine.ShareRoomKey"/>.</summary>
    public IReadOnlyList<OutgoingRequest> ShareRoomKey(string roomId, IEnumerable<string> userIds, EncryptionSettings settings)
    {
        var users = userIds.Distinct().ToList();
        foreach (var user in users)
        {
            _identities.Track(user);
        }

        var outdated = users.Where(u => !_identities.IsUpToDate(u)).ToList();
        if (outdated.Count > 0)
        {
            return _identities.QueriesFor(outdated);
        }

        var now = _time.GetUtcNow();
        var all = users.SelectMany(_identities.DevicesOf).Where(d => !(d.UserId == _userId && d.DeviceId == _deviceId)).ToList();
        var allowed = all.Where(d => !settings.OnlyCrossSignedDevices || _identities.IsCrossSigned(d)).ToList();
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
        var withoutSession = allowed.Where(d => Lacks(d) && !_sessions.HasSession(d) && !_sessions.HasNoOlm(d)).ToList();
        if (withoutSession.Count > 0)
        {
            return _sessions.ClaimFor(withoutSession);
        }

        var requests = outbound.PendingShares.Keys.Select(_requests.Find).OfType<OutgoingRequest>().ToList();
        var toShare = allowed.Where(d => Lacks(d) && _sessions.HasSession(d)).ToList();
        var roomKey = new JsonObject
        {
            ["algorithm"] = MatrixAlgorithms.Megolm,
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
                ["algorithm"] = MatrixAlgorithms.Megolm, ["room_id"] = roomId, ["session_id"] = outbound.Session.SessionId,
                ["sender_key"] = _account.Curve25519Key, ["code"] = "m.unverified",
                ["reason"] = "The sender shares keys only with devices cross-signed by their owner.",
            }));
        }

        var noOlm = allowed.Where(d => _sessions.HasNoOlm(d) && _noOlmNotified.Add((d.UserId, d.DeviceId))).ToList();
        if (noOlm.Count > 0)
        {
            requests.Add(WithheldRequest(noOlm, new JsonObject
            {
                ["algorithm"] = MatrixAlgorithms.Megolm, ["sender_key"] = _account.Curve25519Key, ["code"] = "m.no_olm",
                ["reason"] = "Unable to establish a secure channel.",
            }));
        }

        _metadataChanged = true;
        return requests;
    }

    /// <summary>The <c>m.room.encrypted</c> content JSON for an event; see <see cref="OlmMachine.EncryptRoomEvent"/>.</summary>
    public string EncryptRoomEvent(string roomId, string eventType, string contentJson)
    {
        if (!_outbound.TryGetValue(roomId, out var outbound) || outbound.Session.NeedsRotation(outbound.Rotation, _time.GetUtcNow()))
        {
            throw new MatrixCryptoException(CryptoError.UnknownSession, $"no current Megolm session in {roomId}: call ShareRoomKey first");
        }

        var content = ParseObject(Encoding.UTF8.GetBytes(contentJson), "event content");
        var plaintext = new JsonObject { ["type"] = eventType, ["content"] = content, ["room_id"] = roomId };
        var ciphertext = outbound.Session.Encrypt(Encoding.UTF8.GetBytes(plaintext.ToJsonString()));
        _changedRooms.Add(roomId);
        var encrypted = new JsonObject
        {
            ["algorithm"] = MatrixAlgorithms.Megolm,
            ["sender_key"] = _account.Curve25519Key,
            ["device_id"] = _deviceId,
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

    /// <summary>Drops the room's outbound session: the next share starts a new one.</summary>
    public void DiscardRoomKey(string roomId)
    {
        if (_outbound.Remove(roomId))
        {
            _changedRooms.Add(roomId);
        }
    }

    private OutboundRoomSession NewOutboundSession(string roomId, EncryptionSettings settings, DateTimeOffset now)
    {
        var outbound = new OutboundRoomSession(roomId, OutboundGroupSession.Create(now), settings.SharedHistory, settings.Rotation);
        _outbound[roomId] = outbound;
        _changedRooms.Add(roomId);
        // Our own events must decrypt for us too.
        _roomKeys.Store(new RoomKey(roomId, InboundGroupSession.FromSessionKey(outbound.Session.SessionKey), _userId, _account.Curve25519Key, _account.Ed25519Key));
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

            forUser[device.DeviceId] = _sessions.EncryptToDevice(device, "m.room_key", roomKey);
        }
        var ids = devices.Select(d => (d.UserId, d.DeviceId)).ToList();
        var request = new ToDeviceRequest(PendingRequests.NewRequestId(), "m.room.encrypted", new JsonObject { ["messages"] = messages }.ToJsonString());
        _requests.Register(request, _ =>
        {
            outbound.PendingShares.Remove(request.RequestId);
            outbound.SharedWith.UnionWith(ids);
            _changedRooms.Add(outbound.RoomId);
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
        return _requests.Register(new ToDeviceRequest(PendingRequests.NewRequestId(), "m.room_key.withheld",
            new JsonObject { ["messages"] = messages }.ToJsonString()), _ => { }, inOutgoingQueue: false);
    }

    /// <summary>Each changed room's session, or null for a room whose session was discarded.</summary>
    public void TakeChanges(CryptoChanges changes)
    {
        foreach (var roomId in _changedRooms)
        {
            changes.OutboundSessions.Add((roomId, _outbound.TryGetValue(roomId, out var o) ? o.Session.ToStateBytes() : null));
        }

        _changedRooms.Clear();
        _metadataChanged = false;
    }

    /// <summary>Per room: the session id, who has its key, who was told it is withheld, and the session's policy.</summary>
    public void WriteMetadata(JsonObject metadata)
    {
        var outbound = new JsonObject();
        foreach (var (roomId, o) in _outbound)
        {
            outbound[roomId] = new JsonObject
            {
                ["session_id"] = o.Session.SessionId,
                ["shared_with"] = MetadataPairs.Write(o.SharedWith),
                ["withheld_from"] = MetadataPairs.Write(o.WithheldFrom),
                ["shared_history"] = o.SharedHistory,
                ["rotation_period_ms"] = (long)o.Rotation.Period.TotalMilliseconds,
                ["rotation_period_msgs"] = o.Rotation.Messages,
            };
        }

        metadata["outbound"] = outbound;
        metadata["no_olm_notified"] = MetadataPairs.Write(_noOlmNotified);
    }

    /// <summary>Restores the saved sessions that the metadata describes (a session without its metadata is dropped).</summary>
    public void Restore(IEnumerable<(string RoomId, byte[] State)> sessions, JsonObject metadata)
    {
        var saved = sessions.ToDictionary(o => o.RoomId, o => OutboundGroupSession.FromStateBytes(o.State));
        foreach (var (roomId, node) in metadata["outbound"] as JsonObject ?? [])
        {
            if (node is not JsonObject o || !saved.TryGetValue(roomId, out var session)
                || JsonRead.String(o["session_id"]) != session.SessionId)
            {
                continue;
            }

            var rotation = new MegolmRotationPolicy(TimeSpan.FromMilliseconds(JsonRead.Integer(o["rotation_period_ms"]) ?? 604800000),
                (int)(JsonRead.Integer(o["rotation_period_msgs"]) ?? 100));
            var restored = new OutboundRoomSession(roomId, session, JsonRead.Boolean(o["shared_history"]) ?? false, rotation);
            restored.SharedWith.UnionWith(MetadataPairs.Read(o["shared_with"]));
            restored.WithheldFrom.UnionWith(MetadataPairs.Read(o["withheld_from"]));
            _outbound[roomId] = restored;
        }
        _noOlmNotified.UnionWith(MetadataPairs.Read(metadata["no_olm_notified"]));
    }
}
