using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Machine;
using WalkieTalkie.Matrix.Crypto.Machine.Requests;

namespace WalkieTalkie.Matrix.Tests.Machine;

/// <summary>The key endpoints of a homeserver, in memory, to pump requests between machines in tests:
/// keys upload/query/claim, cross-signing uploads, to-device queues, and what /sync reports (to-device events,
/// device list changes, one-time key counts, unused fallback key types).</summary>
public sealed class InMemoryHomeserver
{
    private readonly Dictionary<(string User, string Device), JsonObject> _deviceKeys = new();
    private readonly Dictionary<(string User, string Device), List<(string Id, JsonObject Key)>> _oneTimeKeys = new();
    private readonly Dictionary<(string User, string Device), (string Id, JsonObject Key, bool Used)> _fallbackKeys = new();
    private readonly Dictionary<string, JsonObject> _master = new(), _selfSigning = new(), _userSigning = new();
    private readonly Dictionary<(string User, string Device), List<JsonObject>> _inbox = new();
    private readonly Dictionary<(string User, string Device), HashSet<string>> _changed = new();

    /// <summary>Every request performed, for assertions.</summary>
    public List<OutgoingRequest> Log { get; } = new();

    /// <summary>Registers a device that does not speak through a machine (a libolm peer).</summary>
    public void AddDeviceKeys(JsonObject deviceKeys, IEnumerable<(string Id, JsonObject Key)> oneTimeKeys)
    {
        var id = (deviceKeys["user_id"]!.GetValue<string>(), deviceKeys["device_id"]!.GetValue<string>());
        _deviceKeys[id] = (JsonObject)deviceKeys.DeepClone();
        _oneTimeKeys[id] = oneTimeKeys.ToList();
        AnnounceChange(id.Item1);
    }

    /// <summary>Performs one request as the given device; returns the response body.</summary>
    public string Handle(string user, string device, OutgoingRequest request)
    {
        Log.Add(request);
        var body = JsonNode.Parse(request.BodyJson)!.AsObject();
        JsonObject response = request switch
        {
            KeysUploadRequest => Upload(user, device, body),
            KeysQueryRequest => Query(user, body),
            KeysClaimRequest => Claim(body),
            ToDeviceRequest t => SendToDevice(user, t.EventType, body),
            DeviceSigningUploadRequest => DeviceSigning(user, body),
            SignatureUploadRequest => Signatures(body),
            _ => throw new InvalidOperationException("unknown request " + request.GetType().Name),
        };
        return response.ToJsonString();
    }

    /// <summary>To-device events queued for a device (what /sync would deliver), removing them.</summary>
    public List<JsonObject> TakeToDevice(string user, string device)
    {
        var events = _inbox.GetValueOrDefault((user, device)) ?? new List<JsonObject>();
        _inbox.Remove((user, device));
        return events;
    }

    /// <summary>Queues a to-device event as if <paramref name="sender"/> had sent it.</summary>
    public void Deliver(string user, string device, string sender, string type, JsonObject content)
    {
        if (!_inbox.TryGetValue((user, device), out var list))
        {
            _inbox[(user, device)] = list = new List<JsonObject>();
        }

        list.Add(new JsonObject { ["type"] = type, ["sender"] = sender, ["content"] = content.DeepClone() });
    }

    /// <summary>The sync changes for a device: its to-device events, changed users, key counts.</summary>
    public SyncChanges Sync(string user, string device)
    {
        var changed = _changed.GetValueOrDefault((user, device))?.ToList() ?? [];
        _changed.Remove((user, device));
        var fallback = _fallbackKeys.TryGetValue((user, device), out var f) && !f.Used ? new[] { "signed_curve25519" } : [];
        return new SyncChanges
        {
            ToDeviceEvents = TakeToDevice(user, device),
            ChangedUsers = changed,
            OneTimeKeyCounts = new Dictionary<string, long> { ["signed_curve25519"] = OneTimeKeyCount(user, device) },
            UnusedFallbackKeyTypes = fallback,
        };
    }

    /// <summary>How many one-time keys of the device are left on the server.</summary>
    public int OneTimeKeyCount(string user, string device) => _oneTimeKeys.GetValueOrDefault((user, device))?.Count ?? 0;

    /// <summary>Replaces what the server holds for a device (a hostile or broken server).</summary>
    public void ReplaceDeviceKeys(string user, string device, JsonObject keys)
    {
        _deviceKeys[(user, device)] = keys;
        AnnounceChange(user);
    }

    /// <summary>Replaces a user's self-signing key object (a hostile or broken server).</summary>
    public void ReplaceSelfSigningKey(string user, JsonObject key)
    {
        _selfSigning[user] = key;
        AnnounceChange(user);
    }

    private JsonObject Upload(string user, string device, JsonObject body)
    {
        if (body["device_keys"] is JsonObject keys)
        {
            if (_deviceKeys.TryGetValue((user, device), out var old) && old["keys"]!.ToJsonString() != keys["keys"]!.ToJsonString())
            {
                throw new InvalidOperationException("device keys changed on re-upload");
            }

            _deviceKeys[(user, device)] = (JsonObject)keys.DeepClone();
            AnnounceChange(user);
        }
        if (!_oneTimeKeys.TryGetValue((user, device), out var otks))
        {
            _oneTimeKeys[(user, device)] = otks = new();
        }

        foreach (var (id, key) in body["one_time_keys"] as JsonObject ?? [])
        {
            otks.Add((id, (JsonObject)key!.DeepClone()));
        }

        foreach (var (id, key) in body["fallback_keys"] as JsonObject ?? [])
        {
            _fallbackKeys[(user, device)] = (id, (JsonObject)key!.DeepClone(), false);
        }

        return new JsonObject { ["one_time_key_counts"] = new JsonObject { ["signed_curve25519"] = otks.Count } };
    }

    private JsonObject Query(string requester, JsonObject body)
    {
        var deviceKeys = new JsonObject();
        var master = new JsonObject();
        var selfSigning = new JsonObject();
        var userSigning = new JsonObject();
        foreach (var (user, _) in body["device_keys"]!.AsObject())
        {
            var devices = new JsonObject();
            foreach (var ((u, d), keys) in _deviceKeys.Where(k => k.Key.User == user))
            {
                devices[d] = keys.DeepClone();
            }

            deviceKeys[user] = devices;
            if (_master.TryGetValue(user, out var m))
            {
                master[user] = m.DeepClone();
            }

            if (_selfSigning.TryGetValue(user, out var s))
            {
                selfSigning[user] = s.DeepClone();
            }

            if (user == requester && _userSigning.TryGetValue(user, out var us))
            {
                userSigning[user] = us.DeepClone();
            }
        }
        return new JsonObject
        {
            ["device_keys"] = deviceKeys, ["master_keys"] = master, ["self_signing_keys"] = selfSigning,
            ["user_signing_keys"] = userSigning, ["failures"] = new JsonObject(),
        };
    }

    private JsonObject Claim(JsonObject body)
    {
        var result = new JsonObject();
        foreach (var (user, devices) in body["one_time_keys"]!.AsObject())
        {
            foreach (var (device, _) in devices!.AsObject())
            {
                JsonObject? claimed = null;
                if (_oneTimeKeys.TryGetValue((user, device), out var otks) && otks.Count > 0)
                {
                    claimed = new JsonObject { [otks[0].Id] = otks[0].Key.DeepClone() };
                    otks.RemoveAt(0);
                }
                else if (_fallbackKeys.TryGetValue((user, device), out var f))
                {
                    claimed = new JsonObject { [f.Id] = f.Key.DeepClone() };
                    _fallbackKeys[(user, device)] = f with { Used = true };
                }
                if (claimed is null)
                {
                    continue;
                }

                if (result[user] is not JsonObject forUser)
                {
                    result[user] = forUser = new JsonObject();
                }

                forUser[device] = claimed;
            }
        }
        return new JsonObject { ["one_time_keys"] = result, ["failures"] = new JsonObject() };
    }

    private JsonObject SendToDevice(string sender, string type, JsonObject body)
    {
        foreach (var (user, devices) in body["messages"]!.AsObject())
        {
            foreach (var (device, content) in devices!.AsObject())
            {
                Deliver(user, device, sender, type, content!.AsObject());
            }
        }

        return new JsonObject();
    }

    private JsonObject DeviceSigning(string user, JsonObject body)
    {
        if (_master.TryGetValue(user, out var existing) && existing["keys"]!.ToJsonString() != body["master_key"]!["keys"]!.ToJsonString())
        {
            throw new InvalidOperationException("cross-signing reset needs interactive auth");
        }

        _master[user] = (JsonObject)body["master_key"]!.DeepClone();
        _selfSigning[user] = (JsonObject)body["self_signing_key"]!.DeepClone();
        _userSigning[user] = (JsonObject)body["user_signing_key"]!.DeepClone();
        AnnounceChange(user);
        return new JsonObject();
    }

    private JsonObject Signatures(JsonObject body)
    {
        foreach (var (user, objects) in body)
        {
            foreach (var (keyId, signed) in objects!.AsObject())
            {
                var target = _deviceKeys.TryGetValue((user, keyId), out var device) ? device
                    : _master.TryGetValue(user, out var master) && master["keys"]!.AsObject().ContainsKey("ed25519:" + keyId) ? master : null;
                if (target is null)
                {
                    continue;
                }

                if (target["signatures"] is not JsonObject)
                {
                    target["signatures"] = new JsonObject();
                }

                foreach (var (signer, sigs) in signed!["signatures"]!.AsObject())
                {
                    if (target["signatures"]![signer] is not JsonObject existing)
                    {
                        target["signatures"]!.AsObject()[signer] = existing = new JsonObject();
                    }

                    foreach (var (sigId, sig) in sigs!.AsObject())
                    {
                        existing[sigId] = sig!.DeepClone();
                    }
                }
            }
            AnnounceChange(user);
        }
        return new JsonObject { ["failures"] = new JsonObject() };
    }

    private void AnnounceChange(string user)
    {
        foreach (var id in _deviceKeys.Keys)
        {
            if (!_changed.TryGetValue(id, out var set))
            {
                _changed[id] = set = new();
            }

            set.Add(user);
        }
    }
}
