using System.Text.Json.Nodes;
using NSec.Cryptography;
using WalkieTalkie.TestHomeserver.Http;

namespace WalkieTalkie.TestHomeserver.Tests;

/// <summary>An Ed25519 key that signs JSON the Matrix way, for building key uploads in tests.</summary>
internal sealed class SigningKey : IDisposable
{
    private readonly Key _key = Key.Create(SignatureAlgorithm.Ed25519);

    public string PublicKey => Convert.ToBase64String(_key.PublicKey.Export(KeyBlobFormat.RawPublicKey)).TrimEnd('=');

    /// <summary>Adds this key's signature as <c>signatures[userId]["ed25519:keyName"]</c>.</summary>
    public JsonObject Sign(JsonObject obj, string userId, string keyName)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy.Remove("signatures");
        copy.Remove("unsigned");
        var signature = Convert.ToBase64String(SignatureAlgorithm.Ed25519.Sign(_key, CanonicalJson.Encode(copy))).TrimEnd('=');
        if (obj["signatures"] is not JsonObject all)
        {
            obj["signatures"] = all = new JsonObject();
        }

        if (all[userId] is not JsonObject mine)
        {
            all[userId] = mine = new JsonObject();
        }

        mine["ed25519:" + keyName] = signature;
        return obj;
    }

    public JsonObject CrossSigningKey(string userId, string usage) => new()
    {
        ["user_id"] = userId,
        ["usage"] = new JsonArray(usage),
        ["keys"] = new JsonObject { ["ed25519:" + PublicKey] = PublicKey },
    };

    public void Dispose() => _key.Dispose();
}

/// <summary>A device's identity keys and its signed device_keys object.</summary>
internal sealed class TestDeviceKeys(string userId, string deviceId) : IDisposable
{
    public SigningKey Ed25519 { get; } = new();

    public JsonObject DeviceKeys() => Ed25519.Sign(new JsonObject
    {
        ["user_id"] = userId,
        ["device_id"] = deviceId,
        ["algorithms"] = new JsonArray("m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2"),
        ["keys"] = new JsonObject
        {
            ["curve25519:" + deviceId] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('='),
            ["ed25519:" + deviceId] = Ed25519.PublicKey,
        },
    }, userId, deviceId);

    public JsonObject OneTimeKey(string key, bool fallback = false)
    {
        var obj = new JsonObject { ["key"] = key };
        if (fallback)
        {
            obj["fallback"] = true;
        }

        return Ed25519.Sign(obj, userId, deviceId);
    }

    public void Dispose() => Ed25519.Dispose();
}
