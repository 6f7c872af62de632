using System.Security.Cryptography;

namespace WalkieTalkie.Gateway.Security;

/// <summary>
/// The key recordings are sealed with at rest: 32 random bytes. Each file gets its own AES-256-GCM key, derived with
/// HKDF-SHA-256 from this one and the file's random salt, so nonces never repeat across files and one file's key
/// tells nothing of another's. Kept in the data folder by <see cref="RecordingKeyFile"/>.
/// </summary>
public sealed class RecordingKey
{
    public const int Length = 32;
    public const int SaltLength = 16;
    public const int TagLength = 16;

    private static readonly byte[] Info = "walkietalkie-recording/1"u8.ToArray();
    private readonly byte[] _key;

    public RecordingKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != Length)
        {
            throw new ArgumentException($"a recording key is {Length} bytes", nameof(key));
        }

        _key = key.ToArray();
    }

    /// <summary>A new random key.</summary>
    public static RecordingKey Generate() => new(RandomNumberGenerator.GetBytes(Length));

    /// <summary>The AES-GCM of one file, for reading it (the caller disposes it).</summary>
    public AesGcm ForFile(ReadOnlySpan<byte> salt)
    {
        Span<byte> fileKey = stackalloc byte[Length];
        DeriveFileKey(salt, fileKey);
        var aes = new AesGcm(fileKey, TagLength);
        CryptographicOperations.ZeroMemory(fileKey);
        return aes;
    }

    /// <summary>The key one file is sealed with as it is written (the caller disposes it).</summary>
    public FileSealingKey SealingFile(ReadOnlySpan<byte> salt, bool preferSodium = true)
    {
        Span<byte> fileKey = stackalloc byte[Length];
        DeriveFileKey(salt, fileKey);
        var sealing = FileSealingKey.For(fileKey, preferSodium);
        CryptographicOperations.ZeroMemory(fileKey);
        return sealing;
    }

    private void DeriveFileKey(ReadOnlySpan<byte> salt, Span<byte> fileKey) => HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, fileKey, salt, Info);

    /// <summary>The key's bytes, for <see cref="RecordingKeyFile"/> only.</summary>
    internal ReadOnlySpan<byte> Bytes => _key;
}
