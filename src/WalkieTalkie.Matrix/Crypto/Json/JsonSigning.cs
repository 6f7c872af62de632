using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Primitives;

namespace WalkieTalkie.Matrix.Crypto.Json;

/// <summary>Signing JSON (spec appendix "Signing JSON"): the signature covers the canonical JSON of the object
/// without <c>signatures</c> and <c>unsigned</c>, and is stored under <c>signatures[entity]["ed25519:&lt;key id&gt;"]</c>.</summary>
public static class JsonSigning
{
    /// <summary>The bytes a signature covers.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.InvalidJson"/>: see <see cref="CanonicalJson.Serialize"/>.</exception>
    public static byte[] SigningBytes(JsonObject value)
    {
        var copy = JsonRead.Parsed(() =>
        {
            var clone = (JsonObject)value.DeepClone();
            clone.Remove("signatures");
            clone.Remove("unsigned");
            return clone;
        });
        return CanonicalJson.Serialize(copy);
    }

    /// <summary>Signs <paramref name="value"/> in place with an Ed25519 seed, keeping other signatures.</summary>
    public static void Sign(JsonObject value, string entity, string keyId, ReadOnlySpan<byte> ed25519Seed) =>
        AddSignature(value, entity, keyId, Ed25519KeyPair.FromSeed(ed25519Seed.ToArray()).Sign(SigningBytes(value)));

    internal static void Sign(JsonObject value, string entity, string keyId, Ed25519KeyPair key) =>
        AddSignature(value, entity, keyId, key.Sign(SigningBytes(value)));

    /// <summary>Stores a signature made elsewhere.</summary>
    public static void AddSignature(JsonObject value, string entity, string keyId, ReadOnlySpan<byte> signature)
    {
        if (value["signatures"] is not JsonObject signatures)
        {
            value["signatures"] = signatures = new JsonObject();
        }

        if (signatures[entity] is not JsonObject byEntity)
        {
            signatures[entity] = byEntity = new JsonObject();
        }

        byEntity["ed25519:" + keyId] = UnpaddedBase64.Encode(signature);
    }

    /// <summary>True when <c>signatures[entity]["ed25519:keyId"]</c> exists and verifies with <paramref name="ed25519PublicKey"/>
    /// (unpadded base64). False for a missing, malformed or wrong signature.</summary>
    public static bool Verify(JsonObject value, string entity, string keyId, string ed25519PublicKey)
    {
        try
        {
            if (JsonRead.Parsed(() => SignatureText(value, entity, keyId)) is not { } sigText)
            {
                return false;
            }

            var signature = UnpaddedBase64.Decode(sigText);
            var key = UnpaddedBase64.Decode(ed25519PublicKey);
            return Ed25519KeyPair.Verify(key, SigningBytes(value), signature);
        }
        catch (MatrixCryptoException)
        {
            return false;
        }
    }

    private static string? SignatureText(JsonObject value, string entity, string keyId) =>
        value["signatures"] is JsonObject signatures && signatures[entity] is JsonObject byEntity
            ? JsonRead.String(byEntity["ed25519:" + keyId])
            : null;

    /// <summary>Like <see cref="Verify"/> but throws.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.BadSignature"/></exception>
    public static void EnsureValid(JsonObject value, string entity, string keyId, string ed25519PublicKey)
    {
        if (!Verify(value, entity, keyId, ed25519PublicKey))
        {
            throw new MatrixCryptoException(CryptoError.BadSignature, $"missing or invalid signature by {entity} ed25519:{keyId}");
        }
    }
}
