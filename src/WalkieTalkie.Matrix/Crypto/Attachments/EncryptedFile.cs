using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Json;
using WalkieTalkie.Matrix.Crypto.Primitives;

namespace WalkieTalkie.Matrix.Crypto.Attachments;

/// <summary>The <c>file</c> object of an encrypted attachment (spec "Sending encrypted attachments"):
/// the mxc URL, the AES-256 key as a JWK (base64url <c>k</c>), the IV and the SHA-256 of the ciphertext.</summary>
public sealed record EncryptedFile(string Url, byte[] Key, byte[] Iv, byte[] CiphertextSha256, string Version = "v2")
{
    /// <summary>The JSON to put in the event content as <c>file</c> (or <c>thumbnail_file</c>).</summary>
    public JsonObject ToJson() => new()
    {
        ["url"] = Url,
        ["key"] = new JsonObject
        {
            ["kty"] = "oct",
            ["key_ops"] = new JsonArray("encrypt", "decrypt"),
            ["alg"] = "A256CTR",
            ["k"] = UnpaddedBase64.EncodeUrl(Key),
            ["ext"] = true,
        },
        ["iv"] = UnpaddedBase64.Encode(Iv),
        ["hashes"] = new JsonObject { ["sha256"] = UnpaddedBase64.Encode(CiphertextSha256) },
        ["v"] = Version,
    };

    /// <summary>Reads and checks a <c>file</c> object from an event.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.InvalidJson"/> for missing or wrong fields,
    /// <see cref="CryptoError.UnsupportedVersion"/>, <see cref="CryptoError.InvalidBase64"/>, <see cref="CryptoError.InvalidKey"/>.</exception>
    public static EncryptedFile FromJson(JsonObject file)
    {
        var url = JsonRead.String(file["url"]) ?? throw Invalid("file.url is missing");
        var version = JsonRead.String(file["v"]) ?? throw Invalid("file.v is missing");
        if (version is not ("v0" or "v1" or "v2"))
        {
            throw new MatrixCryptoException(CryptoError.UnsupportedVersion, $"encrypted attachment version {version} is not supported");
        }

        if (file["key"] is not JsonObject jwk)
        {
            throw Invalid("file.key is missing");
        }

        if (JsonRead.String(jwk["kty"]) != "oct" || JsonRead.String(jwk["alg"]) != "A256CTR")
        {
            throw Invalid("file.key must be an oct A256CTR JWK");
        }

        if (jwk["key_ops"] is not JsonArray ops || !ops.Any(o => JsonRead.String(o) == "decrypt"))
        {
            throw Invalid("file.key.key_ops must allow decrypt");
        }

        var key = UnpaddedBase64.DecodeUrl(JsonRead.String(jwk["k"]) ?? throw Invalid("file.key.k is missing"));
        if (key.Length != 32)
        {
            throw new MatrixCryptoException(CryptoError.InvalidKey, "the attachment key must be 32 bytes");
        }

        var iv = UnpaddedBase64.DecodeExact(JsonRead.String(file["iv"]) ?? throw Invalid("file.iv is missing"), 16, "file.iv");
        var hash = file["hashes"] is JsonObject hashes ? JsonRead.String(hashes["sha256"]) : null;
        var sha256 = UnpaddedBase64.DecodeExact(hash ?? throw Invalid("file.hashes.sha256 is missing"), 32, "file.hashes.sha256");
        return new EncryptedFile(url, key, iv, sha256, version);
    }

    private static MatrixCryptoException Invalid(string why) => new(CryptoError.InvalidJson, why);
}
