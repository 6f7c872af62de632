using System.Net;
using System.Text.Json.Nodes;
using WalkieTalkie.TestHomeserver.Http;
using WalkieTalkie.TestHomeserver.State;

namespace WalkieTalkie.TestHomeserver.Endpoints;

/// <summary>Device keys, one-time and fallback keys, key claiming and <c>/keys/changes</c>.</summary>
internal static class KeysEndpoints
{
    private const string V3 = "/_matrix/client/v3";

    public static void Map(WebApplication app, ServerContext s)
    {
        app.MapPost(V3 + "/keys/upload", async (HttpContext http) =>
        {
            var body = await Json.ReadObjectAsync(http.Request);
            lock (s.State.Gate)
            {
                return Json.Ok(Upload(s, s.Authenticate(http), body));
            }
        });
        app.MapPost(V3 + "/keys/query", async (HttpContext http) =>
        {
            var body = await Json.ReadObjectAsync(http.Request);
            lock (s.State.Gate)
            {
                return Json.Ok(Query(s, s.Authenticate(http), body));
            }
        });
        app.MapPost(V3 + "/keys/claim", async (HttpContext http) =>
        {
            var body = await Json.ReadObjectAsync(http.Request);
            lock (s.State.Gate)
            {
                s.Authenticate(http);
                return Json.Ok(Claim(s, body));
            }
        });
        app.MapGet(V3 + "/keys/changes", (HttpContext http) =>
        {
            var from = StreamToken.ParseOptional(http.Request.Query["from"], "from")
                       ?? throw MatrixException.MissingParam("Missing 'from'");
            var to = StreamToken.ParseOptional(http.Request.Query["to"], "to")
                     ?? throw MatrixException.MissingParam("Missing 'to'");
            lock (s.State.Gate)
            {
                var device = s.Authenticate(http);
                var (changed, left) = DeviceListTracker.Between(s.State, device.UserId, from, to);
                return Json.Ok(new JsonObject
                {
                    ["changed"] = new JsonArray(changed.Select(u => (JsonNode)u).ToArray()),
                    ["left"] = new JsonArray(left.Select(u => (JsonNode)u).ToArray()),
                });
            }
        });
        // No server-side key backup: Synapse answers the same when none was created.
        app.MapGet(V3 + "/room_keys/version", (HttpContext http) =>
        {
            lock (s.State.Gate)
            {
                s.Authenticate(http);
            }

            throw MatrixException.NotFound("No current backup version");
        });
    }

    private static JsonObject Upload(ServerContext s, Device device, JsonObject body)
    {
        if (body.OptionalObject("device_keys") is { } keys)
        {
            if (keys.OptionalString("user_id") != device.UserId || keys.OptionalString("device_id") != device.DeviceId)
            {
                throw MatrixException.InvalidParam("device_keys user_id/device_id do not match the access token");
            }

            if (device.Keys is null || !JsonNode.DeepEquals(device.Keys["keys"], keys["keys"])
                                    || !JsonNode.DeepEquals(device.Keys["algorithms"], keys["algorithms"]))
            {
                device.Keys = (JsonObject)keys.DeepClone();
                device.Keys.Remove("unsigned");
                s.State.NoteDeviceListChange(device.UserId);
            }
        }

        if (body.OptionalObject("one_time_keys") is { } oneTimeKeys)
        {
            foreach (var (keyId, value) in oneTimeKeys)
            {
                var key = value as JsonObject ?? throw MatrixException.BadJson("one-time keys must be objects");
                if (!keyId.Contains(':'))
                {
                    throw MatrixException.InvalidParam($"Invalid key id {keyId}");
                }

                if (device.OneTimeKeys.TryGetValue(keyId, out var existing) && !JsonNode.DeepEquals(existing, key))
                {
                    throw new MatrixException(HttpStatusCode.BadRequest, "M_UNKNOWN",
                        $"One time key {keyId} already exists.");
                }

                device.OneTimeKeys[keyId] = (JsonObject)key.DeepClone();
            }
        }

        var fallbackKeys = body.OptionalObject("fallback_keys") ?? body.OptionalObject("org.matrix.msc2732.fallback_keys");
        if (fallbackKeys is not null)
        {
            foreach (var (keyId, value) in fallbackKeys)
            {
                var key = value as JsonObject ?? throw MatrixException.BadJson("fallback keys must be objects");
                var algorithm = keyId.Split(':')[0];
                // Re-uploading the same fallback key keeps its "used" mark, as Synapse does.
                if (device.FallbackKeys.TryGetValue(algorithm, out var current) && current.KeyId == keyId
                    && JsonNode.DeepEquals(current.Key, key))
                {
                    continue;
                }

                device.FallbackKeys[algorithm] = new FallbackKey(keyId, (JsonObject)key.DeepClone(), Used: false);
            }
        }

        return new JsonObject { ["one_time_key_counts"] = SyncBuilder.OneTimeKeyCounts(device) };
    }

    private static JsonObject Query(ServerContext s, Device requester, JsonObject body)
    {
        var deviceKeys = new JsonObject();
        var masterKeys = new JsonObject();
        var selfSigningKeys = new JsonObject();
        var userSigningKeys = new JsonObject();
        var requested = body.OptionalObject("device_keys") ?? throw MatrixException.MissingParam("Missing 'device_keys'");
        foreach (var (userId, deviceList) in requested)
        {
            var wanted = (deviceList as JsonArray)?.Select(d => d?.GetValue<string>()).ToHashSet() ?? [];
            var devices = new JsonObject();
            deviceKeys[userId] = devices;
            if (!s.State.Accounts.TryGetValue(userId, out var account))
            {
                continue;
            }

            foreach (var device in account.Devices.Values)
            {
                if (device.Keys is null || (wanted.Count > 0 && !wanted.Contains(device.DeviceId)))
                {
                    continue;
                }

                var keys = (JsonObject)device.Keys.DeepClone();
                keys["unsigned"] = new JsonObject { ["device_display_name"] = device.DisplayName };
                devices[device.DeviceId] = keys;
            }
            if (account.MasterKey is not null)
            {
                var master = (JsonObject)account.MasterKey.DeepClone();
                if (account.MasterKeySignaturesBySigner.TryGetValue(requester.UserId, out var theirs))
                {
                    MergeSignatures(master, theirs);
                }

                masterKeys[userId] = master;
            }
            if (account.SelfSigningKey is not null)
            {
                selfSigningKeys[userId] = account.SelfSigningKey.DeepClone();
            }

            if (account.UserSigningKey is not null && userId == requester.UserId)
            {
                userSigningKeys[userId] = account.UserSigningKey.DeepClone();
            }
        }
        return new JsonObject
        {
            ["device_keys"] = deviceKeys,
            ["master_keys"] = masterKeys,
            ["self_signing_keys"] = selfSigningKeys,
            ["user_signing_keys"] = userSigningKeys,
            ["failures"] = new JsonObject(),
        };
    }

    /// <summary>Takes the oldest one-time key of the algorithm (removing it); when none is left, hands out the
    /// fallback key and marks it used, so sync stops listing it in <c>device_unused_fallback_key_types</c>.</summary>
    private static JsonObject Claim(ServerContext s, JsonObject body)
    {
        var result = new JsonObject();
        var requested = body.OptionalObject("one_time_keys") ?? throw MatrixException.MissingParam("Missing 'one_time_keys'");
        foreach (var (userId, devices) in requested)
        {
            if (!s.State.Accounts.TryGetValue(userId, out var account) || devices is not JsonObject deviceMap)
            {
                continue;
            }

            var claimed = new JsonObject();
            foreach (var (deviceId, algorithmNode) in deviceMap)
            {
                var algorithm = algorithmNode?.GetValue<string>();
                if (algorithm is null || !account.Devices.TryGetValue(deviceId, out var device))
                {
                    continue;
                }

                var keyId = device.OneTimeKeys.Keys.FirstOrDefault(k => k.StartsWith(algorithm + ":", StringComparison.Ordinal));
                if (keyId is not null)
                {
                    claimed[deviceId] = new JsonObject { [keyId] = device.OneTimeKeys[keyId] };
                    device.OneTimeKeys.Remove(keyId);
                }
                else if (device.FallbackKeys.TryGetValue(algorithm, out var fallback))
                {
                    claimed[deviceId] = new JsonObject { [fallback.KeyId] = fallback.Key.DeepClone() };
                    device.FallbackKeys[algorithm] = fallback with { Used = true };
                }
            }
            if (claimed.Count > 0)
            {
                result[userId] = claimed;
            }
        }
        return new JsonObject { ["one_time_keys"] = result, ["failures"] = new JsonObject() };
    }

    internal static void MergeSignatures(JsonObject target, JsonObject signatures)
    {
        if (target["signatures"] is not JsonObject all)
        {
            target["signatures"] = all = new JsonObject();
        }

        foreach (var (signer, keys) in signatures)
        {
            if (keys is not JsonObject keyMap)
            {
                continue;
            }

            if (all[signer] is not JsonObject mine)
            {
                all[signer] = mine = new JsonObject();
            }

            foreach (var (keyId, signature) in keyMap)
            {
                mine[keyId] = signature?.DeepClone();
            }
        }
    }
}
