using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.CrossSigning;
using WalkieTalkie.Matrix.Crypto.Json;
using WalkieTalkie.Matrix.Crypto.Machine.Requests;
using WalkieTalkie.Matrix.Crypto.Olm;

namespace WalkieTalkie.Matrix.Crypto.Machine.Identities;

/// <summary>Who is who, after matrix-rust-sdk's IdentityManager: the users whose device lists we follow, their devices
/// and cross-signing identities from <c>/keys/query</c>, and our own cross-signing identity (created once, never reset,
/// signing our device).</summary>
internal sealed class IdentityManager
{
    private readonly string _userId;
    private readonly string _deviceId;
    private readonly OlmAccount _account;
    private readonly PendingRequests _requests;
    private readonly Dictionary<(string UserId, string DeviceId), DeviceKeysInfo> _devices = new();
    private readonly Dictionary<string, TrackedUser> _tracked = new();
    private readonly Dictionary<string, UserIdentity> _identities = new();
    private CrossSigningIdentity? _ownIdentity;
    private bool _crossSigningUploaded;
    private bool _crossSigningChanged;
    private bool _metadataChanged;

    public IdentityManager(string userId, string deviceId, OlmAccount account, PendingRequests requests)
    {
        _userId = userId;
        _deviceId = deviceId;
        _account = account;
        _requests = requests;
        _devices[(userId, deviceId)] = new DeviceKeysInfo(userId, deviceId, account.Curve25519Key, account.Ed25519Key, account.DeviceKeys(userId, deviceId));
    }

    /// <summary>A device's keys were stored from a query (new, or seen again unchanged).</summary>
    public event Action<DeviceKeysInfo>? DeviceKeysStored;

    /// <summary>A <c>/keys/query</c> response was taken in.</summary>
    public event Action? KeysQueryAnswered;

    public bool HasChanges => _crossSigningChanged || _metadataChanged;

    public IReadOnlyCollection<string> TrackedUsers => _tracked.Keys;

    public bool IsCrossSigningBootstrapped => _crossSigningUploaded;

    /// <summary>Our signed <c>device_keys</c> object (with the self-signing signature once cross-signing is bootstrapped).</summary>
    public JsonObject OwnDeviceKeys() => (JsonObject)_devices[(_userId, _deviceId)].DeviceKeys.DeepClone();

    public DeviceKeysInfo? GetDevice(string userId, string deviceId) => _devices.GetValueOrDefault((userId, deviceId));

    public IEnumerable<DeviceKeysInfo> DevicesOf(string userId) => _devices.Values.Where(d => d.UserId == userId);

    public DeviceKeysInfo? DeviceByCurveKey(string curve25519Key) => _devices.Values.FirstOrDefault(d => d.Curve25519Key == curve25519Key);

    public UserIdentity? GetUserIdentity(string userId) => _identities.GetValueOrDefault(userId);

    /// <summary>True when the device is signed by its owner's self-signing key, and that key by the owner's master key.</summary>
    public bool IsCrossSigned(DeviceKeysInfo device) =>
        _identities.TryGetValue(device.UserId, out var identity) && identity.SelfSigningKey is { } ssk
        && JsonSigning.Verify(device.DeviceKeys, device.UserId, ssk, ssk);

    /// <summary>True when the user is tracked and their device list was queried since the last announced change.</summary>
    public bool IsUpToDate(string userId) => _tracked.TryGetValue(userId, out var user) && !user.Outdated;

    public void Track(string userId)
    {
        if (_tracked.ContainsKey(userId))
        {
            return;
        }

        _tracked[userId] = new TrackedUser { Outdated = true };
        _metadataChanged = true;
    }

    public void Untrack(string userId)
    {
        if (_tracked.Remove(userId))
        {
            _metadataChanged = true;
        }
    }

    public void MarkOutdated(string userId)
    {
        if (!_tracked.TryGetValue(userId, out var user))
        {
            return;
        }

        user.Outdated = true;
        user.Generation++;
        _metadataChanged = true;
    }

    /// <summary>Registers a query for the tracked users whose device lists are outdated.</summary>
    public void QueryOutdatedUsers()
    {
        var outdated = _tracked.Where(t => t.Value.Outdated).Select(t => t.Key).ToList();
        if (outdated.Count > 0)
        {
            QueriesFor(outdated);
        }
    }

    /// <summary>The queries covering these tracked users: those already in flight, and one new query for the rest
    /// (only one query per user may be in flight).</summary>
    public List<OutgoingRequest> QueriesFor(IEnumerable<string> users)
    {
        var (requests, fresh) = _requests.Covering(users.Distinct(), user => _tracked[user].QueryInFlight);
        if (fresh.Count > 0)
        {
            var deviceKeys = new JsonObject();
            foreach (var user in fresh)
            {
                deviceKeys[user] = new JsonArray();
            }

            var body = new JsonObject { ["device_keys"] = deviceKeys, ["timeout"] = 10000 };
            var generations = fresh.ToDictionary(u => u, u => _tracked[u].Generation);
            var request = _requests.Register(new KeysQueryRequest(PendingRequests.NewRequestId(), fresh, body.ToJsonString()),
                response => OnKeysQueried(generations, response),
                () => { foreach (var u in fresh) { if (_tracked.TryGetValue(u, out var t)) { t.QueryInFlight = null; } } });
            foreach (var user in fresh)
            {
                _tracked[user].QueryInFlight = request.RequestId;
            }

            requests.Add(request);
        }
        return requests.Distinct().ToList();
    }

    /// <summary>Gives our user a cross-signing identity (once: later calls keep it) and signs our device with it.
    /// Returns the two uploads, to perform in order.</summary>
    public IReadOnlyList<OutgoingRequest> BootstrapCrossSigning()
    {
        if (_ownIdentity is null)
        {
            _ownIdentity = CrossSigningIdentity.Create(_userId);
            _crossSigningChanged = true;
        }
        var identity = _ownIdentity;
        ApplyOwnIdentity();
        var keys = _requests.Register(new DeviceSigningUploadRequest(PendingRequests.NewRequestId(), identity.DeviceSigningUploadBody().ToJsonString()),
            _ => { }, inOutgoingQueue: false);
        var signatures = _requests.Register(new SignatureUploadRequest(PendingRequests.NewRequestId(),
                identity.SignaturesUploadBody(_account.DeviceKeys(_userId, _deviceId), _deviceId, _account).ToJsonString()),
            _ => _crossSigningUploaded = true, inOutgoingQueue: false);
        _metadataChanged = true;
        return [keys, signatures];
    }

    private void OnKeysQueried(Dictionary<string, int> generations, JsonObject response)
    {
        var deviceKeys = response["device_keys"] as JsonObject;
        foreach (var (user, generation) in generations)
        {
            UpdateIdentity(user, response);
            if (deviceKeys?[user] is JsonObject devices)
            {
                UpdateDevices(user, devices);
            }

            if (_tracked.TryGetValue(user, out var tracked))
            {
                tracked.QueryInFlight = null;
                // A change announced while the query was in flight needs another query.
                tracked.Outdated = tracked.Generation != generation;
            }
        }
        KeysQueryAnswered?.Invoke();
    }

    private void UpdateDevices(string userId, JsonObject devices)
    {
        var seen = new HashSet<string>();
        foreach (var (deviceId, node) in devices)
        {
            if (node is not JsonObject keys)
            {
                continue;
            }

            DeviceKeysInfo device;
            try
            {
                device = DeviceKeysInfo.Verify(keys, userId, deviceId);
            }
            catch (MatrixCryptoException)
            {
                continue; // a device with a bad self-signature is not a device of this user
            }
            seen.Add(deviceId);
            if (_devices.TryGetValue((userId, deviceId), out var known) && known.Ed25519Key != device.Ed25519Key)
            {
                continue; // peers never accept a re-keyed device id: keep the keys we knew
            }

            if (userId == _userId && deviceId == _deviceId)
            {
                continue; // our own device: ours is the truth
            }

            _devices[(userId, deviceId)] = device;
            DeviceKeysStored?.Invoke(device);
        }
        foreach (var gone in DevicesOf(userId).Where(d => !seen.Contains(d.DeviceId) && !(d.UserId == _userId && d.DeviceId == _deviceId)).ToList())
        {
            _devices.Remove((gone.UserId, gone.DeviceId));
        }
    }

    private void UpdateIdentity(string userId, JsonObject response)
    {
        if ((response["master_keys"] as JsonObject)?[userId] is not JsonObject master)
        {
            if (userId != _userId || _ownIdentity is null)
            {
                _identities.Remove(userId);
            }

            return;
        }
        string masterKey;
        try
        {
            masterKey = CrossSigningKeyObject.PublicKey(master, userId, CrossSigningKeyObject.Master);
        }
        catch (MatrixCryptoException)
        {
            return;
        }
        if (userId == _userId && _ownIdentity is not null && _ownIdentity.MasterKey != masterKey)
        {
            return; // never let the server swap our own identity
        }

        var selfSigning = SignedSubkey(response["self_signing_keys"], userId, CrossSigningKeyObject.SelfSigning, masterKey);
        var userSigning = SignedSubkey(response["user_signing_keys"], userId, CrossSigningKeyObject.UserSigning, masterKey);
        _identities[userId] = new UserIdentity(userId, masterKey, selfSigning, userSigning, (JsonObject)master.DeepClone());
    }

    private static string? SignedSubkey(JsonNode? byUser, string userId, string usage, string masterKey)
    {
        if ((byUser as JsonObject)?[userId] is not JsonObject key)
        {
            return null;
        }

        try
        {
            var publicKey = CrossSigningKeyObject.PublicKey(key, userId, usage);
            return CrossSigningKeyObject.IsSignedBy(key, userId, masterKey) ? publicKey : null;
        }
        catch (MatrixCryptoException)
        {
            return null;
        }
    }

    /// <summary>Our identity is trusted locally at once, and our device carries its self-signing signature (also in the
    /// <c>sender_device_keys</c> we send).</summary>
    private void ApplyOwnIdentity()
    {
        if (_ownIdentity is not { } identity)
        {
            return;
        }

        _identities[_userId] = new UserIdentity(_userId, identity.MasterKey, identity.SelfSigningKey, identity.UserSigningKey, identity.MasterKeyObject());
        var signed = identity.SignDevice(_account.DeviceKeys(_userId, _deviceId));
        _devices[(_userId, _deviceId)] = new DeviceKeysInfo(_userId, _deviceId, _account.Curve25519Key, _account.Ed25519Key, signed);
    }

    public void TakeChanges(CryptoChanges changes)
    {
        if (_crossSigningChanged && _ownIdentity is not null)
        {
            changes.CrossSigning = _ownIdentity.ToStateBytes();
        }

        _crossSigningChanged = _metadataChanged = false;
    }

    /// <summary>Tracked users, the devices of others, and identities (ours is saved apart, sealed as a secret).</summary>
    public void WriteMetadata(JsonObject metadata)
    {
        var identities = new JsonObject();
        foreach (var (user, identity) in _identities.Where(i => i.Key != _userId || _ownIdentity is null))
        {
            identities[user] = new JsonObject
            {
                ["master_key"] = identity.MasterKeyObject.DeepClone(),
                ["self_signing_key"] = identity.SelfSigningKey,
                ["user_signing_key"] = identity.UserSigningKey,
            };
        }

        metadata["cross_signing_uploaded"] = _crossSigningUploaded;
        metadata["tracked"] = new JsonObject(_tracked.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value.Outdated)));
        metadata["devices"] = new JsonArray(_devices.Values.Where(d => !(d.UserId == _userId && d.DeviceId == _deviceId))
            .Select(d => (JsonNode)d.DeviceKeys.DeepClone()).ToArray());
        metadata["identities"] = identities;
    }

    /// <summary>Restores our cross-signing identity (when we have one) and the saved metadata.</summary>
    public void Restore(byte[]? crossSigningState, JsonObject metadata)
    {
        if (crossSigningState is not null)
        {
            _ownIdentity = CrossSigningIdentity.FromStateBytes(crossSigningState);
        }

        _crossSigningUploaded = JsonRead.Boolean(metadata["cross_signing_uploaded"]) ?? false;
        foreach (var (user, outdated) in metadata["tracked"] as JsonObject ?? [])
        {
            _tracked[user] = new TrackedUser { Outdated = JsonRead.Boolean(outdated) ?? true };
        }

        foreach (var keys in (metadata["devices"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (JsonRead.String(keys["user_id"]) is { } user && JsonRead.String(keys["device_id"]) is { } device)
            {
                _devices[(user, device)] = DeviceKeysInfo.Verify(keys, user, device);
            }
        }
        foreach (var (user, node) in metadata["identities"] as JsonObject ?? [])
        {
            if (node is JsonObject identity && identity["master_key"] is JsonObject master)
            {
                _identities[user] = new UserIdentity(user, CrossSigningKeyObject.PublicKey(master, user, CrossSigningKeyObject.Master),
                    JsonRead.String(identity["self_signing_key"]), JsonRead.String(identity["user_signing_key"]), (JsonObject)master.DeepClone());
            }
        }
        ApplyOwnIdentity();
    }
}
