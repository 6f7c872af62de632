using System.Text.Json.Nodes;
using NSec.Cryptography;

namespace WalkieTalkie.TestHomeserver.Http;

/// <summary>Ed25519 signature checks over canonical JSON, as Synapse runs them on cross-signing uploads.</summary>
internal static class SignatureCheck
{
    /// <summary>True when <paramref name="signed"/> carries a valid signature by <paramref name="signer"/> with key
    /// id <c>ed25519:<paramref name="keyName"/></c> made by the unpadded-base64 Ed25519 key <paramref name="publicKey"/>.</summary>
    public static bool IsValid(JsonObject signed, string signer, string keyName, string publicKey)
    {
        var signature = signed["signatures"]?[signer]?["ed25519:" + keyName]?.GetValue<string>();
        if (signature is null)
        {
            return false;
        }

        var copy = (JsonObject)signed.DeepClone();
        copy.Remove("signatures");
        copy.Remove("unsigned");
        try
        {
            var key = PublicKey.Import(SignatureAlgorithm.Ed25519, UnpaddedBase64.Decode(publicKey), KeyBlobFormat.RawPublicKey);
            return SignatureAlgorithm.Ed25519.Verify(key, CanonicalJson.Encode(copy), UnpaddedBase64.Decode(signature));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return false;
        }
    }
}

internal static class UnpaddedBase64
{
    public static byte[] Decode(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        return Convert.FromBase64String(padded);
    }
}
