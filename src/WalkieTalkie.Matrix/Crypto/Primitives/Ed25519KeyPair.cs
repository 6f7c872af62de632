using System.Security.Cryptography;
using NSec.Cryptography;

namespace WalkieTalkie.Matrix.Crypto.Primitives;

/// <summary>An Ed25519 key pair kept as its 32-byte seed and public key.</summary>
internal sealed class Ed25519KeyPair
{
    public const int SeedLength = 32;
    public const int PublicKeyLength = 32;
    public const int SignatureLength = 64;

    private Ed25519KeyPair(byte[] seed, byte[] publicKey)
    {
        Seed = seed;
        PublicKey = publicKey;
    }

    public byte[] Seed { get; }
    public byte[] PublicKey { get; }
    public string PublicKeyBase64 => UnpaddedBase64.Encode(PublicKey);

    public static Ed25519KeyPair Generate() => FromSeed(RandomNumberGenerator.GetBytes(SeedLength));

    public static Ed25519KeyPair FromSeed(byte[] seed)
    {
        if (seed.Length != SeedLength)
        {
            throw new MatrixCryptoException(CryptoError.InvalidKey, "an Ed25519 seed is 32 bytes");
        }

        using var key = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey);
        return new Ed25519KeyPair((byte[])seed.Clone(), key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        using var key = Key.Import(SignatureAlgorithm.Ed25519, Seed, KeyBlobFormat.RawPrivateKey);
        return SignatureAlgorithm.Ed25519.Sign(key, data);
    }

    /// <summary>Strict verification (libsodium). False for a bad signature, a bad length or an unusable key.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeyLength || signature.Length != SignatureLength)
        {
            return false;
        }

        if (!NSec.Cryptography.PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var key) || key is null)
        {
            return false;
        }

        return SignatureAlgorithm.Ed25519.Verify(key, data, signature);
    }
}
