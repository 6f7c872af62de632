using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.CrossSigning;
using WalkieTalkie.Matrix.Crypto.Json;
using WalkieTalkie.Matrix.Crypto.Machine.Requests;

namespace WalkieTalkie.Matrix.Crypto.Machine;

// Device lists and cross-signing identities of the users we share rooms with, from /keys/query.
public sealed partial class OlmMachine
{
    private readonly Dictionary<(string UserId, string DeviceId), DeviceKeysInfo> _devices = new();
    private readonly Dictionary<string, TrackedUser> _tracked = new();
    private readonly Dictionary<string, UserIdentity> _identities = new();

    /// <summary>Starts tracking the device lists of these users (room members); their keys are queried next.</summary>
    public void UpdateTrackedUsers(IEnumerable<string> userIds)
    {
        foreach (var user in userIds)
        {
            Track(user);
        }
    }

    /// <summary>The users whose device lists we follow.</summary>
    public IReadOnlyCollection<string> TrackedUsers => _tracked.Keys;

    /// <summary>A device we know (checked self-signature), if any.</summary>
    public DeviceKeysInfo? GetDevice(string userId, string deviceId) => _devices.GetValueOrDefault((userId, deviceId));

    /// <summary>The devices we know of a user.</summary>
    public IReadOnlyList<DeviceKeysInfo> GetDevices(string userId) => DevicesOf(userId).ToList();

    /// <summary>A user's checked cross-signing keys, if any.</summary>
    public UserIdentity? GetUserIdentity(string userId) => _identities.GetValueOrDefault(userId);

    /// <summary>True when the device is signed by its owner's self-signing key, and that key by the owner's master key.</summary>
    public bool IsCrossSigned(DeviceKeysInfo device) =>
        _identities.TryGetValue(device.UserId, out var identity) && identity.SelfSigningKey is { } ssk
        && JsonSigning.Verify(device.DeviceKeys, device.UserId, ssk, ssk);

    private IEnumerable<DeviceKeysInfo> DevicesOf(string userId) => _devices.Values.Where(d => d.UserId == userId);

    private DeviceKeysInfo? DeviceByCurveKey(string curve25519Key) => _devices.Values.FirstOrDefault(d => d.Curve25519Key == curve25519Key);

    private void Track(string userId)
    {
        if (_tracked.ContainsKey(userId))
        {
            return;
        }

        _tracked[userId] = new TrackedUser { Outdated = true };
        _metadataDirty = true;
    }

    private void Untrack(string userId)
    {
        if (_tracked.Remove(userId))
        {
            _metadataDirty = true;
        }
    }

    private void MarkOutdated(string userId)
    {
        if (!_tracked.TryGetValue(userId, out var user))
        {
            return;
        }

        user.Outdated = true;
        user.Generation++;
        _metadataDirty = true;
    }

    /// <summary>The queries covering these users: those already in flight, and one new query for the rest
    /// (only one query per user may be in flight).</summary>
    private List<OutgoingRequest> QueriesFor(IEnumerable<string> users)
    {
        var requests = new List<OutgoingRequest>();
        var fresh = new List<string>();
        foreach (var user in users.Distinct())
        {
            if (_tracked[user].QueryInFlight is { } id && _pending.TryGetValue(id, out var inFlight))
            {
                requests.Add(inFlight.Request);
            }
            else
            {
                fresh.Add(user);
            }
        }
        if (fresh.Count > 0)
        {
            var deviceKeys = new JsonObject();
            foreach (var user in fresh)
            {
                deviceKeys[user] = new JsonArray();
            }

            var body = new JsonObject { ["device_keys"] = deviceKeys, ["timeout"] = 10000 };
            var generations = fresh.ToDictionary(u => u, u => _tracked[u].Generation);
            var request = Register(new KeysQueryRequest(NewRequestId(), fresh, body.ToJsonString()),
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
        ResumeUnwedging();
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

            if (userId == UserId && deviceId == DeviceId)
            {
                continue; // our own device: ours is the truth
            }

            _devices[(userId, deviceId)] = device;
            _noOlmDevices.Remove((userId, deviceId));
        }
        foreach (var gone in DevicesOf(userId).Where(d => !seen.Contains(d.DeviceId) && !(d.UserId == UserId && d.DeviceId == DeviceId)).ToList())
        {
            _devices.Remove((gone.UserId, gone.DeviceId));
        }
    }

    private void UpdateIdentity(string userId, JsonObject response)
    {
        if ((response["master_keys"] as JsonObject)?[userId] is not JsonObject master)
        {
            if (userId != UserId || _ownIdentity is null)
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
        if (userId == UserId && _ownIdentity is not null && _ownIdentity.MasterKey != masterKey)
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

    private sealed class TrackedUser
    {
        public bool Outdated { get; set; }
        public int Generation { get; set; }
        public string? QueryInFlight { get; set; }
    }
}
