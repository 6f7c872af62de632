using System.Net;
using System.Text.Json.Nodes;
using WalkieTalkie.TestHomeserver.Http;
using WalkieTalkie.TestHomeserver.State;

namespace WalkieTalkie.TestHomeserver.Endpoints;

/// <summary>
/// <c>/keys/device_signing/upload</c> and <c>/keys/signatures/upload</c>, with Synapse's checks: the first
/// upload needs no user-interactive auth (MSC3967), a replacement needs the password, the self-signing and
/// user-signing keys must carry a valid master-key signature, and every uploaded signature is verified.
/// </summary>
internal static class CrossSigningEndpoints
{
    private const string V3 = "/_matrix/client/v3";

    public static void Map(WebApplication app, ServerContext s)
    {
        app.MapPost(V3 + "/keys/device_signing/upload", async (HttpContext http) =>
        {
            var body = await Json.ReadObjectAsync(http.Request);
            lock (s.State.Gate)
            {
                UploadCrossSigningKeys(s, s.AccountOf(s.Authenticate(http)), body);
                return Json.Empty();
            }
        });
        app.MapPost(V3 + "/keys/signatures/upload", async (HttpContext http) =>
        {
            var body = await Json.ReadObjectAsync(http.Request);
            lock (s.State.Gate)
            {
                return Json.Ok(UploadSignatures(s, s.AccountOf(s.Authenticate(http)), body));
            }
        });
    }

    private static void UploadCrossSigningKeys(ServerContext s, Account account, JsonObject body)
    {
        var master = CheckKey(body.OptionalObject("master_key"), account, "master");
        var selfSigning = CheckKey(body.OptionalObject("self_signing_key"), account, "self_signing");
        var userSigning = CheckKey(body.OptionalObject("user_signing_key"), account, "user_signing");

        bool Replaces(JsonObject? uploaded, JsonObject? existing) =>
            uploaded is not null && existing is not null && !JsonNode.DeepEquals(uploaded["keys"], existing["keys"]);
        var needsAuth = account.MasterKey is null
            ? s.Options.FirstCrossSigningUploadNeedsAuth
            : Replaces(master, account.MasterKey) || Replaces(selfSigning, account.SelfSigningKey) || Replaces(userSigning, account.UserSigningKey);
        if (needsAuth)
        {
            s.RequirePasswordAuth(account, body);
        }

        var masterForCheck = master ?? account.MasterKey;
        foreach (var (key, name) in new[] { (selfSigning, "self_signing_key"), (userSigning, "user_signing_key") })
        {
            if (key is null)
            {
                continue;
            }

            if (masterForCheck is null)
            {
                throw MatrixException.InvalidParam($"{name} uploaded without a master key");
            }

            var masterPublic = PublicKeyOf(masterForCheck);
            if (!SignatureCheck.IsValid(key, account.UserId, masterPublic, masterPublic))
            {
                throw new MatrixException(HttpStatusCode.BadRequest, "M_INVALID_SIGNATURE",
                    $"Invalid signature on {name}: it must be signed by the master key");
            }
        }

        if (master is not null && (account.MasterKey is null || Replaces(master, account.MasterKey)))
        {
            account.MasterKeySignaturesBySigner.Clear();
            account.MasterKey = master;
        }
        else if (master is not null)
        {
            KeysEndpoints.MergeSignatures(account.MasterKey!, (JsonObject)master["signatures"]!);
        }

        if (selfSigning is not null)
        {
            account.SelfSigningKey = selfSigning;
        }

        if (userSigning is not null)
        {
            account.UserSigningKey = userSigning;
        }

        s.State.NoteDeviceListChange(account.UserId);
    }

    private static JsonObject? CheckKey(JsonObject? key, Account account, string usage)
    {
        if (key is null)
        {
            return null;
        }

        if (key.OptionalString("user_id") != account.UserId)
        {
            throw MatrixException.InvalidParam("Cross-signing key user_id does not match the access token");
        }

        if (key["usage"] is not JsonArray usages || !usages.Any(u => u?.GetValue<string>() == usage))
        {
            throw MatrixException.InvalidParam($"Cross-signing key usage must include {usage}");
        }

        if (key["keys"] is not JsonObject keys || keys.Count != 1 || !keys.First().Key.StartsWith("ed25519:", StringComparison.Ordinal))
        {
            throw MatrixException.InvalidParam("A cross-signing key must hold exactly one ed25519 key");
        }

        var copy = (JsonObject)key.DeepClone();
        copy["signatures"] ??= new JsonObject();
        return copy;
    }

    public static string PublicKeyOf(JsonObject crossSigningKey) => ((JsonObject)crossSigningKey["keys"]!).First().Value!.GetValue<string>();

    private static JsonObject UploadSignatures(ServerContext s, Account signer, JsonObject body)
    {
        var failures = new JsonObject();
        void Fail(string userId, string keyId, string errcode, string error)
        {
            if (failures[userId] is not JsonObject perUser)
            {
                failures[userId] = perUser = new JsonObject();
            }

            perUser[keyId] = new JsonObject { ["errcode"] = errcode, ["error"] = error };
        }

        foreach (var (userId, keysNode) in body)
        {
            if (keysNode is not JsonObject keys)
            {
                continue;
            }

            if (!s.State.Accounts.TryGetValue(userId, out var target))
            {
                foreach (var (keyId, _) in keys)
                {
                    Fail(userId, keyId, "M_NOT_FOUND", "Unknown user");
                }

                continue;
            }
            foreach (var (keyId, signedNode) in keys)
            {
                if (signedNode is not JsonObject signed) { Fail(userId, keyId, "M_INVALID_PARAM", "Not an object"); continue; }
                var error = userId == signer.UserId ? SignOwnKey(s, signer, keyId, signed) : SignOtherUser(s, signer, target, keyId, signed);
                if (error is { } e)
                {
                    Fail(userId, keyId, e.Errcode, e.Error);
                }
            }
        }
        return new JsonObject { ["failures"] = failures };
    }

    /// <summary>The user's self-signing key signs one of its devices, or one of its devices signs its master key.</summary>
    private static (string Errcode, string Error)? SignOwnKey(ServerContext s, Account account, string keyId, JsonObject signed)
    {
        if (account.Devices.TryGetValue(keyId, out var device))
        {
            if (device.Keys is null)
            {
                return ("M_NOT_FOUND", "The device has no keys");
            }

            if (account.SelfSigningKey is null)
            {
                return ("M_NOT_FOUND", "No self-signing key uploaded");
            }

            if (!JsonNode.DeepEquals(signed["keys"], device.Keys["keys"]))
            {
                return ("M_INVALID_SIGNATURE", "The signed keys are not the device's keys");
            }

            var ssk = PublicKeyOf(account.SelfSigningKey);
            if (!SignatureCheck.IsValid(signed, account.UserId, ssk, ssk))
            {
                return ("M_INVALID_SIGNATURE", "Invalid self-signing signature");
            }

            KeysEndpoints.MergeSignatures(device.Keys, Only(account.UserId, "ed25519:" + ssk, signed));
            s.State.NoteDeviceListChange(account.UserId);
            return null;
        }
        if (account.MasterKey is not null && PublicKeyOf(account.MasterKey) == keyId)
        {
            // Signed by one of the user's devices: find which by the key ids of the signatures.
            var signatures = signed["signatures"]?[account.UserId] as JsonObject;
            foreach (var signingDevice in account.Devices.Values)
            {
                var devicePublic = signingDevice.Keys?["keys"]?["ed25519:" + signingDevice.DeviceId]?.GetValue<string>();
                if (devicePublic is null || signatures?["ed25519:" + signingDevice.DeviceId] is null)
                {
                    continue;
                }

                if (!SignatureCheck.IsValid(signed, account.UserId, signingDevice.DeviceId, devicePublic))
                {
                    return ("M_INVALID_SIGNATURE", "Invalid device signature on the master key");
                }

                KeysEndpoints.MergeSignatures(account.MasterKey, Only(account.UserId, "ed25519:" + signingDevice.DeviceId, signed));
                s.State.NoteDeviceListChange(account.UserId);
                return null;
            }
            return ("M_INVALID_SIGNATURE", "No signature by a known device");
        }
        return ("M_NOT_FOUND", "Unknown key id");
    }

    /// <summary>The user's user-signing key signs another user's master key; only the signer will see it.</summary>
    private static (string Errcode, string Error)? SignOtherUser(ServerContext s, Account signer, Account target, string keyId, JsonObject signed)
    {
        if (target.MasterKey is null || PublicKeyOf(target.MasterKey) != keyId)
        {
            return ("M_NOT_FOUND", "Unknown master key");
        }

        if (signer.UserSigningKey is null)
        {
            return ("M_NOT_FOUND", "No user-signing key uploaded");
        }

        var usk = PublicKeyOf(signer.UserSigningKey);
        if (!JsonNode.DeepEquals(signed["keys"], target.MasterKey["keys"]))
        {
            return ("M_INVALID_SIGNATURE", "The signed key is not the master key");
        }

        if (!SignatureCheck.IsValid(signed, signer.UserId, usk, usk))
        {
            return ("M_INVALID_SIGNATURE", "Invalid user-signing signature");
        }

        target.MasterKeySignaturesBySigner[signer.UserId] = Only(signer.UserId, "ed25519:" + usk, signed);
        // As Synapse: the signer's own devices learn that the target's keys changed (for them), no one else.
        s.State.NoteDeviceListChange(target.UserId, visibleTo: signer.UserId);
        return null;
    }

    private static JsonObject Only(string userId, string keyId, JsonObject signed) => new()
    {
        [userId] = new JsonObject { [keyId] = signed["signatures"]![userId]![keyId]!.DeepClone() },
    };
}
