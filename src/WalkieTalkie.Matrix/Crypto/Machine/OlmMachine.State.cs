using System.Text;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.CrossSigning;
using WalkieTalkie.Matrix.Crypto.Json;
using WalkieTalkie.Matrix.Crypto.Megolm;
using WalkieTalkie.Matrix.Crypto.Olm;

namespace WalkieTalkie.Matrix.Crypto.Machine;

// Change tracking for the key store, and restoring a machine from saved state.
public sealed partial class OlmMachine
{
    private bool _accountDirty;
    private bool _crossSigningDirty;
    private bool _metadataDirty;
    private readonly Dictionary<(string SenderKey, string SessionId), OlmSession> _dirtyOlmSessions = new();
    private readonly HashSet<(string RoomId, string SessionId)> _dirtyRoomKeys = new();
    private readonly HashSet<string> _dirtyOutbound = new();
    private readonly List<MegolmReplayEntry> _newReplayEntries = new();

    /// <summary>True when something changed since the last <see cref="TakeChanges"/>.</summary>
    public bool HasChanges => _accountDirty || _crossSigningDirty || _metadataDirty || _dirtyOlmSessions.Count > 0
        || _dirtyRoomKeys.Count > 0 || _dirtyOutbound.Count > 0 || _newReplayEntries.Count > 0;

    /// <summary>Everything that changed since the last call, as a snapshot (later changes do not leak into it).</summary>
    public CryptoChanges TakeChanges()
    {
        var changes = new CryptoChanges
        {
            UserId = UserId,
            DeviceId = DeviceId,
            Account = _accountDirty ? Account.ToStateBytes() : null,
            CrossSigning = _crossSigningDirty && _ownIdentity is not null ? _ownIdentity.ToStateBytes() : null,
            Metadata = Encoding.UTF8.GetBytes(WriteMetadata().ToJsonString()),
        };
        // Oldest first: the store stamps them in this order, and the newest session is the one we send with.
        foreach (var ((senderKey, sessionId), session) in _dirtyOlmSessions.OrderByDescending(s => _olmSessions[s.Key.SenderKey].IndexOf(s.Value)))
        {
            changes.OlmSessions.Add((senderKey, sessionId, session.ToStateBytes()));
        }

        foreach (var id in _dirtyRoomKeys)
        {
            changes.RoomKeys.Add((_roomKeys[id], _roomKeys[id].Session.ToStateBytes()));
        }

        foreach (var roomId in _dirtyOutbound)
        {
            changes.OutboundSessions.Add((roomId, _outbound.TryGetValue(roomId, out var o) ? o.Session.ToStateBytes() : null));
        }

        changes.ReplayEntries.AddRange(_newReplayEntries);

        _accountDirty = _crossSigningDirty = _metadataDirty = false;
        _dirtyOlmSessions.Clear();
        _dirtyRoomKeys.Clear();
        _dirtyOutbound.Clear();
        _newReplayEntries.Clear();
        return changes;
    }

    internal static OlmMachine Restore(string userId, string deviceId, MachineState state, TimeProvider? time)
    {
        var machine = new OlmMachine(userId, deviceId, OlmAccount.FromStateBytes(state.Account), time);
        if (state.CrossSigning is not null)
        {
            machine._ownIdentity = CrossSigningIdentity.FromStateBytes(state.CrossSigning);
        }

        foreach (var (senderKey, bytes) in state.OlmSessions)
        {
            if (!machine._olmSessions.TryGetValue(senderKey, out var list))
            {
                machine._olmSessions[senderKey] = list = new List<OlmSession>();
            }

            list.Add(OlmSession.FromStateBytes(bytes));
        }
        foreach (var (roomId, senderUser, senderCurve, senderEd, bytes) in state.RoomKeys)
        {
            var session = InboundGroupSession.FromStateBytes(bytes);
            machine._roomKeys[(roomId, session.SessionId)] = new RoomKey(roomId, session, senderUser, senderCurve, senderEd);
        }
        foreach (var entry in state.ReplayEntries)
        {
            machine.ReplayGuard.Restore(entry);
        }

        var outbound = state.OutboundSessions.ToDictionary(o => o.RoomId, o => OutboundGroupSession.FromStateBytes(o.State));
        machine.ReadMetadata(JsonNode.Parse(state.Metadata) as JsonObject
            ?? throw new MatrixCryptoException(CryptoError.CorruptState, "saved machine metadata is not a JSON object"), outbound);
        machine.ApplyOwnIdentity();
        return machine;
    }

    /// <summary>The machine's non-key state: flags, tracked users, devices, identities, sharing marks. Public keys and
    /// ids only, but sealed by the store like the rest.</summary>
    private JsonObject WriteMetadata()
    {
        static JsonArray Pairs(IEnumerable<(string, string)> pairs) => new(pairs.Select(p => (JsonNode)new JsonArray(p.Item1, p.Item2)).ToArray());
        var outbound = new JsonObject();
        foreach (var (roomId, o) in _outbound)
        {
            outbound[roomId] = new JsonObject
            {
                ["session_id"] = o.Session.SessionId,
                ["shared_with"] = Pairs(o.SharedWith),
                ["withheld_from"] = Pairs(o.WithheldFrom),
                ["shared_history"] = o.SharedHistory,
                ["rotation_period_ms"] = (long)o.Rotation.Period.TotalMilliseconds,
                ["rotation_period_msgs"] = o.Rotation.Messages,
            };
        }

        var identities = new JsonObject();
        foreach (var (user, identity) in _identities.Where(i => i.Key != UserId || _ownIdentity is null))
        {
            identities[user] = new JsonObject
            {
                ["master_key"] = identity.MasterKeyObject.DeepClone(),
                ["self_signing_key"] = identity.SelfSigningKey,
                ["user_signing_key"] = identity.UserSigningKey,
            };
        }

        return new JsonObject
        {
            ["device_keys_uploaded"] = _deviceKeysUploaded,
            ["server_one_time_key_count"] = _serverOneTimeKeyCount,
            ["needs_fallback_key"] = _needsFallbackKey,
            ["cross_signing_uploaded"] = _crossSigningUploaded,
            ["tracked"] = new JsonObject(_tracked.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value.Outdated))),
            ["devices"] = new JsonArray(_devices.Values.Where(d => !(d.UserId == UserId && d.DeviceId == DeviceId))
                .Select(d => (JsonNode)d.DeviceKeys.DeepClone()).ToArray()),
            ["identities"] = identities,
            ["outbound"] = outbound,
            ["withheld"] = new JsonArray(_withheld.Select(w => (JsonNode)new JsonArray(w.Key.RoomId, w.Key.SessionId, w.Value.Code, w.Value.Reason)).ToArray()),
            ["no_olm"] = Pairs(_noOlmDevices),
            ["no_olm_notified"] = Pairs(_noOlmNotified),
            ["unwedged_at"] = new JsonObject(_unwedgedAt.Select(u => KeyValuePair.Create(u.Key, (JsonNode?)u.Value.ToUnixTimeMilliseconds()))),
        };
    }

    private void ReadMetadata(JsonObject m, Dictionary<string, OutboundGroupSession> outboundSessions)
    {
        static IEnumerable<(string, string)> Pairs(JsonNode? node) => (node as JsonArray ?? [])
            .OfType<JsonArray>().Where(p => p.Count == 2 && JsonRead.String(p[0]) is not null && JsonRead.String(p[1]) is not null)
            .Select(p => (JsonRead.String(p[0])!, JsonRead.String(p[1])!));

        _deviceKeysUploaded = JsonRead.Boolean(m["device_keys_uploaded"]) ?? false;
        _serverOneTimeKeyCount = JsonRead.Integer(m["server_one_time_key_count"]) is { } count ? (int)count : null;
        _needsFallbackKey = JsonRead.Boolean(m["needs_fallback_key"]) ?? true;
        _crossSigningUploaded = JsonRead.Boolean(m["cross_signing_uploaded"]) ?? false;
        foreach (var (user, outdated) in m["tracked"] as JsonObject ?? [])
        {
            _tracked[user] = new TrackedUser { Outdated = JsonRead.Boolean(outdated) ?? true };
        }

        foreach (var keys in (m["devices"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (JsonRead.String(keys["user_id"]) is { } user && JsonRead.String(keys["device_id"]) is { } device)
            {
                _devices[(user, device)] = DeviceKeysInfo.Verify(keys, user, device);
            }
        }
        foreach (var (user, node) in m["identities"] as JsonObject ?? [])
        {
            if (node is JsonObject identity && identity["master_key"] is JsonObject master)
            {
                _identities[user] = new UserIdentity(user, CrossSigningKeyObject.PublicKey(master, user, CrossSigningKeyObject.Master),
                    JsonRead.String(identity["self_signing_key"]), JsonRead.String(identity["user_signing_key"]), (JsonObject)master.DeepClone());
            }
        }
        foreach (var (roomId, node) in m["outbound"] as JsonObject ?? [])
        {
            if (node is not JsonObject o || !outboundSessions.TryGetValue(roomId, out var session)
                || JsonRead.String(o["session_id"]) != session.SessionId)
            {
                continue;
            }

            var rotation = new MegolmRotationPolicy(TimeSpan.FromMilliseconds(JsonRead.Integer(o["rotation_period_ms"]) ?? 604800000),
                (int)(JsonRead.Integer(o["rotation_period_msgs"]) ?? 100));
            var restored = new OutboundRoomSession(roomId, session, JsonRead.Boolean(o["shared_history"]) ?? false, rotation);
            restored.SharedWith.UnionWith(Pairs(o["shared_with"]));
            restored.WithheldFrom.UnionWith(Pairs(o["withheld_from"]));
            _outbound[roomId] = restored;
        }
        foreach (var w in (m["withheld"] as JsonArray ?? []).OfType<JsonArray>())
        {
            if (w.Count == 4 && JsonRead.String(w[0]) is { } room && JsonRead.String(w[1]) is { } session && JsonRead.String(w[2]) is { } code)
            {
                _withheld[(room, session)] = (code, JsonRead.String(w[3]));
            }
        }
        _noOlmDevices.UnionWith(Pairs(m["no_olm"]));
        _noOlmNotified.UnionWith(Pairs(m["no_olm_notified"]));
        foreach (var (curve, at) in m["unwedged_at"] as JsonObject ?? [])
        {
            if (JsonRead.Integer(at) is { } ms)
            {
                _unwedgedAt[curve] = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            }
        }
    }
}
