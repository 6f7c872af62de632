using System.Text;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Json;
using WalkieTalkie.Matrix.Crypto.Machine.Requests;
using WalkieTalkie.Matrix.Crypto.Olm;

namespace WalkieTalkie.Matrix.Crypto.Machine;

// Outgoing Olm: sessions from claimed one-time keys, to-device encryption, and unwedging with m.dummy.
public sealed partial class OlmMachine
{
    /// <summary>One new Olm session per device per hour at most, when its messages stop decrypting.</summary>
    private static readonly TimeSpan UnwedgeInterval = TimeSpan.FromHours(1);

    private readonly Dictionary<string, List<OlmSession>> _olmSessions = new();
    private readonly Dictionary<(string UserId, string DeviceId), string> _claimInFlight = new();
    private readonly HashSet<(string UserId, string DeviceId)> _noOlmDevices = new();
    private readonly HashSet<(string UserId, string DeviceId)> _unwedgeClaims = new();
    private readonly Dictionary<string, DateTimeOffset> _unwedgedAt = new();
    private readonly Dictionary<string, string> _unwedgeWaitingForDevice = new(); // curve key -> user

    private bool HasOlmSession(DeviceKeysInfo device) => _olmSessions.TryGetValue(device.Curve25519Key, out var s) && s.Count > 0;

    private void AddOlmSession(string curve25519Key, OlmSession session)
    {
        if (!_olmSessions.TryGetValue(curve25519Key, out var list))
        {
            _olmSessions[curve25519Key] = list = new List<OlmSession>();
        }

        list.Insert(0, session);
        _dirtyOlmSessions[(curve25519Key, session.SessionId)] = session;
    }

    /// <summary>The claims covering these devices: those in flight, and one new claim for the rest.</summary>
    private List<OutgoingRequest> ClaimFor(IReadOnlyList<DeviceKeysInfo> devices)
    {
        var requests = new List<OutgoingRequest>();
        var fresh = new List<DeviceKeysInfo>();
        foreach (var device in devices)
        {
            if (_claimInFlight.TryGetValue((device.UserId, device.DeviceId), out var id) && _pending.TryGetValue(id, out var inFlight))
            {
                requests.Add(inFlight.Request);
            }
            else
            {
                fresh.Add(device);
            }
        }
        if (fresh.Count > 0)
        {
            var oneTimeKeys = new JsonObject();
            foreach (var device in fresh)
            {
                if (oneTimeKeys[device.UserId] is not JsonObject forUser)
                {
                    oneTimeKeys[device.UserId] = forUser = new JsonObject();
                }

                forUser[device.DeviceId] = SignedCurve25519;
            }
            var body = new JsonObject { ["one_time_keys"] = oneTimeKeys, ["timeout"] = 10000 };
            var ids = fresh.Select(d => (d.UserId, d.DeviceId)).ToList();
            var request = Register(new KeysClaimRequest(NewRequestId(), body.ToJsonString()), response => OnKeysClaimed(ids, response),
                () => { foreach (var id in ids) { _claimInFlight.Remove(id); } });
            foreach (var id in ids)
            {
                _claimInFlight[id] = request.RequestId;
            }

            requests.Add(request);
        }
        return requests.Distinct().ToList();
    }

    private void OnKeysClaimed(List<(string UserId, string DeviceId)> ids, JsonObject response)
    {
        var oneTimeKeys = response["one_time_keys"] as JsonObject;
        foreach (var id in ids)
        {
            _claimInFlight.Remove(id);
            var unwedging = _unwedgeClaims.Remove(id);
            if (!_devices.TryGetValue(id, out var device))
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
            var signed = claimedKeys.Where(k => k.Key.StartsWith(SignedCurve25519 + ":", StringComparison.Ordinal))
                .Select(k => k.Value).OfType<JsonObject>().FirstOrDefault();
            if (signed is null || JsonRead.String(signed["key"]) is not { } key)
            {
                return false;
            }

            JsonSigning.EnsureValid(signed, device.UserId, device.DeviceId, device.Ed25519Key);
            AddOlmSession(device.Curve25519Key, Account.CreateOutboundSession(device.Curve25519Key, key));
            return true;
        }
        catch (MatrixCryptoException)
        {
            return false;
        }
    }

    /// <summary>The <c>m.room.encrypted</c> to-device content carrying an event to a device over its newest Olm session,
    /// with the spec's payload (sender, recipient, keys, recipient_keys, sender_device_keys).</summary>
    private JsonObject EncryptToDevice(DeviceKeysInfo device, string eventType, JsonObject content)
    {
        var session = _olmSessions[device.Curve25519Key][0];
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
        var message = session.Encrypt(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        _dirtyOlmSessions[(device.Curve25519Key, session.SessionId)] = session;
        return new JsonObject
        {
            ["algorithm"] = OlmAlgorithm,
            ["sender_key"] = Account.Curve25519Key,
            ["ciphertext"] = new JsonObject
            {
                [device.Curve25519Key] = new JsonObject { ["type"] = (int)message.Type, ["body"] = message.BodyBase64 },
            },
            ["org.matrix.msgid"] = NewRequestId(),
        };
    }

    private void QueueToDevice(string eventType, DeviceKeysInfo device, JsonObject content)
    {
        var body = new JsonObject { ["messages"] = new JsonObject { [device.UserId] = new JsonObject { [device.DeviceId] = content } } };
        Register(new ToDeviceRequest(NewRequestId(), eventType, body.ToJsonString()), _ => { });
    }

    /// <summary>A message from this device did not decrypt: our session with it is probably wedged. Start a new one
    /// and send <c>m.dummy</c> over it, at most once an hour per device.</summary>
    private void ScheduleUnwedge(string sender, string senderKey)
    {
        if (_unwedgedAt.TryGetValue(senderKey, out var last) && Now - last < UnwedgeInterval)
        {
            return;
        }

        _unwedgedAt[senderKey] = Now;
        _metadataDirty = true;
        if (DeviceByCurveKey(senderKey) is { } device && device.UserId == sender)
        {
            _unwedgeClaims.Add((device.UserId, device.DeviceId));
            return;
        }
        // Unknown device: learn the sender's devices first.
        _unwedgeWaitingForDevice[senderKey] = sender;
        Track(sender);
        MarkOutdated(sender);
    }

    private void ResumeUnwedging()
    {
        foreach (var (curveKey, user) in _unwedgeWaitingForDevice.ToList())
        {
            if (DeviceByCurveKey(curveKey) is { } device && device.UserId == user)
            {
                _unwedgeClaims.Add((device.UserId, device.DeviceId));
                _unwedgeWaitingForDevice.Remove(curveKey);
            }
            else if (_tracked.TryGetValue(user, out var t) && !t.Outdated)
            {
                _unwedgeWaitingForDevice.Remove(curveKey); // queried, and still unknown: give up
            }
        }
    }
}
