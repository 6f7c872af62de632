using WalkieTalkie.Matrix.Crypto.Primitives;

namespace WalkieTalkie.Matrix.Crypto.Olm;

/// <summary>A one-time or fallback Curve25519 key the account holds, with its id and whether it was uploaded.</summary>
internal sealed class OneTimeKey(string keyId, Curve25519KeyPair key, bool published, DateTimeOffset createdAt)
{
    public string KeyId { get; } = keyId;
    public Curve25519KeyPair Key { get; } = key;
    public bool Published { get; set; } = published;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public string PublicKeyBase64 => UnpaddedBase64.Encode(Key.PublicKey);
}
