using System.Security.Cryptography;

namespace WalkieTalkie.Matrix.Crypto.Attachments;

/// <summary>Encrypts and decrypts attachments as Matrix clients do: AES-256-CTR with a random key, an IV of 8 random
/// bytes followed by 8 zero bytes (the low 64 bits are the block counter), and the SHA-256 of the ciphertext.</summary>
public static class AttachmentCipher
{
    /// <summary>An encrypted attachment and the <c>file</c> object for it (upload the ciphertext, then set the URL).</summary>
    public sealed record Encrypted(byte[] Ciphertext, EncryptedFile File);

    /// <summary>Encrypts with a fresh key and IV. <paramref name="url"/> may be filled in later with <c>File with { Url = … }</c>.</summary>
    public static Encrypted Encrypt(ReadOnlySpan<byte> plaintext, string url = "")
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var iv = new byte[16];
        RandomNumberGenerator.Fill(iv.AsSpan(0, 8));
        var ciphertext = AesCtr.Transform(key, iv, plaintext, fullWidthCounter: false);
        return new Encrypted(ciphertext, new EncryptedFile(url, key, iv, SHA256.HashData(ciphertext)));
    }

    /// <summary>Checks the ciphertext's SHA-256 first, then decrypts.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.AttachmentHashMismatch"/> if the download is not
    /// what the sender encrypted.</exception>
    public static byte[] Decrypt(ReadOnlySpan<byte> ciphertext, EncryptedFile file)
    {
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(ciphertext), file.CiphertextSha256))
        {
            throw new MatrixCryptoException(CryptoError.AttachmentHashMismatch,
                "the attachment's SHA-256 does not match hashes.sha256: it was changed or truncated");
        }

        return AesCtr.Transform(file.Key, file.Iv, ciphertext, fullWidthCounter: file.Version == "v0");
    }
}
