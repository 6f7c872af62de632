using System.Security.Cryptography;
using NSec.Cryptography;

namespace WalkieTalkie.Matrix.Crypto.Primitives;

/// <summary>An X25519 key pair kept as raw bytes, so it can be saved; NSec keys are made per operation.</summary>
internal sealed class Curve25519KeyPair
{
    public const int KeyLength = 32;

    private Curve25519KeyPair(byte[] privateKey, byte[] publicKey)
    {
        PrivateKey = privateKey;
        PublicKey = publicKey;
    }

    public byte[] PrivateKey { get; }
    public byte[] PublicKey { get; }

    public static Curve25519KeyPair Generate() => FromPrivateKey(RandomNumberGenerator.GetBytes(KeyLength));

    public static Curve25519KeyPair FromPrivateKey(byte[] privateKey)
    {
        if (privateKey.Length != KeyLength)
        {
            throw new MatrixCryptoException(CryptoError.InvalidKey, "a Curve25519 private key is 32 bytes");
        }

        using var key = Key.Import(KeyAgreementAlgorithm.X25519, privateKey, KeyBlobFormat.RawPrivateKey,
            new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        return new Curve25519KeyPair((byte[])privateKey.Clone(), key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>Raw X25519 output. Refuses low-order peer keys, whose output would be all zeros.</summary>
    public byte[] Agree(ReadOnlySpan<byte> theirPublicKey)
    {
        if (theirPublicKey.Length != KeyLength)
        {
            throw new MatrixCryptoException(CryptoError.InvalidKey, "a Curve25519 public key is 32 bytes");
        }

        if (!NSec.Cryptography.PublicKey.TryImport(KeyAgreementAlgorithm.X25519, theirPublicKey, KeyBlobFormat.RawPublicKey, out var their) || their is null)
        {
            throw new MatrixCryptoException(CryptoError.InvalidKey, "the Curve25519 public key cannot be imported");
        }

        using var ours = Key.Import(KeyAgreementAlgorithm.X25519, PrivateKey, KeyBlobFormat.RawPrivateKey);
        using var secret = KeyAgreementAlgorithm.X25519.Agree(ours, their,
            new SharedSecretCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        if (secret is null)
        {
            throw new MatrixCryptoException(CryptoError.NonContributoryKey, "the peer's Curve25519 key is of low order");
        }

        var raw = secret.Export(SharedSecretBlobFormat.RawSharedSecret);
        // libsodium already refuses an all-zero output; checked again because the 3DH must never run on one.
        if (raw.AsSpan().IndexOfAnyExcept((byte)0) < 0)
        {
            throw new MatrixCryptoException(CryptoError.NonContributoryKey, "the X25519 output is all zeros");
        }

        return raw;
    }
}
