using System.Text;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Json;
using WalkieTalkie.Matrix.Crypto.Machine.Identities;
using WalkieTalkie.Matrix.Crypto.Machine.Keys;
using WalkieTalkie.Matrix.Crypto.Machine.Requests;
using WalkieTalkie.Matrix.Crypto.Olm;
using static WalkieTalkie.Matrix.Crypto.Machine.MachineInput;

namespace WalkieTalkie.Matrix.Crypto.Machine.Sessions;

/// <summary>Our Olm sessions with other devices, after matrix-rust-sdk's SessionManager: one-time keys claimed and
/// sessions started from them, to-device encryption and decryption (with the spec's payload checks), and unwedging
/// (a new session and <c>m.dummy</c> when a device's messages stop decrypting).</summary>
internal sealed class SessionManager
{
    /// <summary>One new Olm session per device per hour at most, when its messages stop decrypting.</summary>
    private static readonly TimeSpan UnwedgeInterval = TimeSpan.FromHours(1);

    private readonly string _userId;
    private readonly OwnAccount _ownAccount;
    private readonly IdentityManager _identities;
    private readonly PendingRequests _requests;
    private readonly TimeProvider _time;
    /// <summary>By the device's Curve25519 key, the one to send with first.</summary>
    private readonly Dictionary<string, List<OlmSession>> _olmSessions = new();
    private readonly Dictionary<(string SenderKey, string SessionId), OlmSession> _changedSessions = new();
    private readonly Dictionary<(string UserId, string DeviceId), string> _claimInFlight = new();
    /// <summary>Devices a claim found no usable key for, until their keys change.</summary>
    private readonly HashSet<(string UserId, string DeviceId)> _noOlmDevices = new();
    private readonly HashSet<(string UserId, string DeviceId)> _unwedgeClaims = new();
    private readonly Dictionary<string, DateTimeOffset> _unwedgedAt = new();
    private readonly Dictionary<string, string> _unwedgeWaitingForDevice = new(); // curve key -> user
    private bool _metadataChanged;

    public SessionManager(string userId, OwnAccount ownAccount, IdentityManager identities, PendingRequests requests, TimeProvider time)
    {
        _userId = userId;
        _ownAccount = ownAccount;
        _identities = identities;
        _requests = requests;
        _time = time;
        _identities.DeviceKeysStored += device => _noOlmDevices.Remove((device.UserId, device.DeviceId));
        _identities.KeysQueryAnswered += ResumeUnwedging;
    }

    public bool HasChanges => _metadataChanged || _changedSessions.Count > 0;

    private OlmAccount Account => _ownAccount.Account;

    public bool HasSession(DeviceKeysInfo device) => _olmSessions.TryGetValue(device.Curve25519Key, out var s) && s.Count > 0;

    /// <summary>True when a claim found no usable one-time or fallback key for the device (since its keys last changed).</summary>
    public bool HasNoOlm(DeviceKeysInfo device) => _noOlmDevices.Contains((device.UserId, device.DeviceId));

    /// <summary>The claims covering these devices: those in flight, and one new claim for the rest.</summary>
    public List<OutgoingRequest> ClaimFor(IReadOnlyList<DeviceKeysInfo> devices)
    {
        var (requests, fresh) = _requests.Covering(devices, device => _claimInFlight.GetValueOrDefault((device.UserId, device.DeviceId)));
        if (fresh.Count > 0)
        {
            var oneTimeKeys = new JsonObject();
            foreach (var device in fresh)
            {
                if (oneTimeKeys[device.UserId] is not JsonObject forUser)
                {
                    oneTimeKeys[device.UserId] = forUser = new JsonObject();
                }

                forUser[device.DeviceId] = MatrixAlgorithms.SignedCurve25519;
            }
            var body = new JsonObject { ["one_time_keys"] = oneTimeKeys, ["timeout"] = 10000 };
            var ids = fresh.Select(d => (d.UserId, d.DeviceId)).ToList();
            var request = _requests.Register(new KeysClaimRequest(PendingRequests.NewRequestId(), body.ToJsonString()),
                response => OnKeysClaimed(ids, response),
                () => { foreach (var id in ids) { _claimInFlight.Remove(id); } });
            foreach (var id in ids)
            {
                _claimInFlight[id] = request.RequestId;
            }

            requests.Add(request);
        }
        return requests.Distinct().ToList();
    }

    /// <summary>Registers the claims for devices being unwedged that have none in flight.</summary>
    public void ClaimForUnwedging()
    {
        var toClaim = _unwedgeClaims.Where(id => !_claimInFlight.ContainsKey(id)).Select(id => _identities.GetDevice(id.UserId, id.DeviceId))
            .OfType<DeviceKeysInfo>().ToList();
        if (toClaim.Count > 0)
        {
            ClaimFor(toClaim);
        }
    }

    private void OnKeysClaimed(List<(string UserId, string DeviceId)> ids, JsonObject response)
    {
        var oneTimeKeys = response["one_time_keys"] as JsonObject;
        foreach (var id in ids)
        {
            _claimInFlight.Remove(id);
            var unwedging = _unwedgeClaims.Remove(id);
            if (_identities.GetDevice(id.UserId, id.DeviceId) is not { } device)
            {
                continue;
            }

            if ((oneTimeKeys?[id.UserId] as JsonObject)?[id.DeviceId] is JsonObject claimed && TryCreateOutboundSession(device, claimed))
            {
                if (unwedging)
                {
                    QueueToDevice("m.room.encrypted", device, EncryptToDevice(device, "m.dummy", new JsonObject()));
                }

                continue;
            }
            // No key (all used, no fallback) or a key with a bad signature: tell the device once, skip it until its keys change.
            _noOlmDevices.Add(id);
        }
    }

    /// <summary>Starts an Olm session from a <c>/keys/claim</c> entry <c>{"signed_curve25519:&lt;id&gt;": {...}}</c> after
    /// checking the key's signature by the device.</summary>
    private bool TryCreateOutboundSession(DeviceKeysInfo device, JsonObject claimedKeys)
    {
        try
        {
            var signed = claimedKeys.Where(k => k.Key.StartsWith(MatrixAlgorithms.SignedCurve25519 + ":", StringComparison.Ordinal))
                .Select(k => k.Value).OfType<JsonObject>().FirstOrDefault();
            if (signed is null || JsonRead.String(signed["key"]) is not { } key)
            {
                return false;
            }

            JsonSigning.EnsureValid(signed, device.UserId, device.DeviceId, device.Ed25519Key);
            AddSession(device.Curve25519Key, Account.CreateOutboundSession(device.Curve25519Key, key));
            return true;
        }
        catch (MatrixCryptoException)
        {
            return false;
        }
    }

    private void AddSession(string curve25519Key, OlmSession session)
    {
        if (!_olmSessions.TryGetValue(curve25519Key, out var list))
        {
            _olmSessions[curve25519Key] = list = new List<OlmSession>();
        }

        list.Insert(0, session);
        _changedSessions[(curve25519Key, session.SessionId)] = session;
    }

    /// <summary>The <c>m.room.encrypted</c> to-device content carrying an event to a device over its newest Olm session,
    /// with the spec's payload (sender, recipient, keys, recipient_keys, sender_device_keys).</summary>
    public JsonObject EncryptToDevice(DeviceKeysInfo device, string eventType, JsonObject content)
    {
        var session = _olmSessions[device.Curve25519Key][0];
        var payload = new JsonObject
        {
            ["type"] = eventType,
            ["content"] = content.DeepClone(),
            ["sender"] = _userId,
            ["recipient"] = device.UserId,
            ["keys"] = new JsonObject { ["ed25519"] = Account.Ed25519Key },
            ["recipient_keys"] = new JsonObject { ["ed25519"] = device.Ed25519Key },
            ["sender_device_keys"] = _identities.OwnDeviceKeys(),
        };
        var message = session.Encrypt(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        _changedSessions[(device.Curve25519Key, session.SessionId)] = session;
        return new JsonObject
        {
            ["algorithm"] = MatrixAlgorithms.Olm,
            ["sender_key"] = Account.Curve25519Key,
            ["ciphertext"] = new JsonObject
            {
                [device.Curve25519Key] = new JsonObject { ["type"] = (int)message.Type, ["body"] = message.BodyBase64 },
            },
            ["org.matrix.msgid"] = PendingRequests.NewRequestId(),
        };
    }

    private void QueueToDevice(string eventType, DeviceKeysInfo device, JsonObject content)
    {
        var body = new JsonObject { ["messages"] = new JsonObject { [device.UserId] = new JsonObject { [device.DeviceId] = content } } };
        _requests.Register(new ToDeviceRequest(PendingRequests.NewRequestId(), eventType, body.ToJsonString()), _ => { });
    }

    /// <summary>Decrypts an <c>m.room.encrypted</c> to-device event and runs the spec's checks on the Olm payload.
    /// Nothing changes until <c>Commit</c> is called: the caller checks the inner event first.</summary>
    /// <exception cref="MatrixCryptoException">The event does not decrypt or fails a check.</exception>
    public (DecryptedToDeviceEvent Event, Action Commit) DecryptToDevice(JsonObject toDeviceEvent)
    {
        var sender = JsonRead.String(toDeviceEvent["sender"]) ?? throw Invalid("the event has no sender");
        if (toDeviceEvent["content"] is not JsonObject content || JsonRead.String(content["algorithm"]) != MatrixAlgorithms.Olm)
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
        var decrypted = OlmPayloadCheck.Run(payload, sender, senderKey, _userId, Account.Ed25519Key, _identities.DeviceByCurveKey(senderKey));
        return (decrypted, commit);
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
                _ownAccount.ConsumeOneTimeKey(usedKey);
                AddSession(senderKey, created.Session);
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
                _changedSessions[(senderKey, copy.SessionId)] = copy;
            });
        }
        catch (MatrixCryptoException)
        {
            return null;
        }
    }

    /// <summary>A message from this device did not decrypt: our session with it is probably wedged. Start a new one
    /// and send <c>m.dummy</c> over it, at most once an hour per device.</summary>
    public void ScheduleUnwedge(string sender, string senderKey)
    {
        var now = _time.GetUtcNow();
        if (_unwedgedAt.TryGetValue(senderKey, out var last) && now - last < UnwedgeInterval)
        {
            return;
        }

        _unwedgedAt[senderKey] = now;
        _metadataChanged = true;
        if (_identities.DeviceByCurveKey(senderKey) is { } device && device.UserId == sender)
        {
            _unwedgeClaims.Add((device.UserId, device.DeviceId));
            return;
        }
        // Unknown device: learn the sender's devices first.
        _unwedgeWaitingForDevice[senderKey] = sender;
        _identities.Track(sender);
        _identities.MarkOutdated(sender);
    }

    private void ResumeUnwedging()
    {
        foreach (var (curveKey, user) in _unwedgeWaitingForDevice.ToList())
        {
            if (_identities.DeviceByCurveKey(curveKey) is { } device && device.UserId == user)
            {
                _unwedgeClaims.Add((device.UserId, device.DeviceId));
                _unwedgeWaitingForDevice.Remove(curveKey);
            }
            else if (_identities.IsUpToDate(user))
            {
                _unwedgeWaitingForDevice.Remove(curveKey); // queried, and still unknown: give up
            }
        }
    }

    public void TakeChanges(CryptoChanges changes)
    {
        // Oldest first: the store stamps them in this order, and the newest session is the one we send with.
        foreach (var ((senderKey, sessionId), session) in _changedSessions.OrderByDescending(s => _olmSessions[s.Key.SenderKey].IndexOf(s.Value)))
        {
            changes.OlmSessions.Add((senderKey, sessionId, session.ToStateBytes()));
        }

        _changedSessions.Clear();
        _metadataChanged = false;
    }

    public void WriteMetadata(JsonObject metadata)
    {
        metadata["no_olm"] = MetadataPairs.Write(_noOlmDevices);
        metadata["unwedged_at"] = new JsonObject(_unwedgedAt.Select(u => KeyValuePair.Create(u.Key, (JsonNode?)u.Value.ToUnixTimeMilliseconds())));
    }

    /// <summary>Restores the saved sessions (per device, in the store's order: newest first) and metadata.</summary>
    public void Restore(IEnumerable<(string SenderKey, byte[] State)> sessions, JsonObject metadata)
    {
        foreach (var (senderKey, bytes) in sessions)
        {
            if (!_olmSessions.TryGetValue(senderKey, out var list))
            {
                _olmSessions[senderKey] = list = new List<OlmSession>();
            }

            list.Add(OlmSession.FromStateBytes(bytes));
        }
        _noOlmDevices.UnionWith(MetadataPairs.Read(metadata["no_olm"]));
        foreach (var (curve, at) in metadata["unwedged_at"] as JsonObject ?? [])
        {
            if (JsonRead.Integer(at) is { } ms)
            {
                _unwedgedAt[curve] = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            }
        }
    }
}
