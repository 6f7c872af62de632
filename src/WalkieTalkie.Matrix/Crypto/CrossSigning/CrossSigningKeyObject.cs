using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Json;

namespace WalkieTalkie.Matrix.Crypto.CrossSigning;

/// <summary>Builds and reads cross-signing key objects:
/// <c>{"user_id", "usage": [usage], "keys": {"ed25519:&lt;pub&gt;": pub}, "signatures"}</c>.</summary>
public static class CrossSigningKeyObject
{
    /// <summary>The usages: <c>master</c>, <c>self_signing</c>, <c>user_signing</c>.</summary>
    public const string Master = "master", SelfSigning = "self_signing", UserSigning = "user_signing";

    /// <summary>An unsigned key object.</summary>
    public static JsonObject Create(string userId, string usage, string publicKey) => new()
    {
        ["user_id"] = userId,
        ["usage"] = new JsonArray(usage),
        ["keys"] = new JsonObject { ["ed25519:" + publicKey] = publicKey },
    };

    /// <summary>The key's public Ed25519 key, after checking owner, usage and shape.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.InvalidJson"/></exception>
    public static string PublicKey(JsonObject key, string userId, string usage)
    {
        if (JsonRead.String(key["user_id"]) != userId)
        {
            throw Invalid($"the {usage} key belongs to another user");
        }

        if (key["usage"] is not JsonArray usages || !usages.Any(u => JsonRead.String(u) == usage))
        {
            throw Invalid($"the key is not a {usage} key");
        }

        if (key["keys"] is not JsonObject keys || keys.Count != 1)
        {
            throw Invalid($"the {usage} key must hold exactly one key");
        }

        var (id, value) = keys.First();
        var publicKey = JsonRead.String(value);
        if (publicKey is null || id != "ed25519:" + publicKey)
        {
            throw Invalid($"the {usage} key id must be ed25519:<public key>");
        }

        return publicKey;
    }

    /// <summary>True when <paramref name="signed"/> carries a valid signature by the cross-signing key
    /// <paramref name="signerPublicKey"/> of <paramref name="userId"/> (key id <c>ed25519:&lt;pub&gt;</c>).</summary>
    public static bool IsSignedBy(JsonObject signed, string userId, string signerPublicKey) =>
        JsonSigning.Verify(signed, userId, signerPublicKey, signerPublicKey);

    private static MatrixCryptoException Invalid(string why) => new(CryptoError.InvalidJson, why);
}
