using System.Security.Cryptography;
using NSec.Cryptography;

namespace WalkieTalkie.Gateway.Security;

/// <summary>
/// One recording file's AES-256-GCM key, for sealing its chunks as they are written: libsodium's AES-GCM (through
/// NSec) where the processor has the AES and carry-less multiply instructions it needs, .NET's (OpenSSL) elsewhere.
/// Both make the same bytes, and the reader opens them with .NET's.
/// </summary>
/// <remarks>
/// A chunk is sealed on the engine's thread for every frame of a burst: through OpenSSL the seals took 8-15 % of that
/// thread's time at one listener, most of it in OpenSSL's per-call set-up (the IV set, the error queue cleared, the tag
/// asked for in a call of its own), where libsodium's is one call: 166 ns a frame against 796 (docs/benchmarks.md).
/// </remarks>
public abstract class FileSealingKey : IDisposable
{
    /// <summary>The key for <paramref name="fileKey"/> (32 bytes, not kept: the caller clears its copy).</summary>
    public static FileSealingKey For(ReadOnlySpan<byte> fileKey, bool preferSodium = true) =>
        preferSodium && Aes256Gcm.IsSupported ? new Sodium(fileKey) : new OpenSsl(fileKey);

    /// <summary>Which implementation seals: "libsodium" or "OpenSSL" (benchmarks and tests).</summary>
    public abstract string Implementation { get; }

    /// <summary>
    /// Seals <paramref name="plaintext"/> into <paramref name="sealedText"/>: its ciphertext, then the 16-byte tag, so
    /// <paramref name="plaintext"/>'s length and 16 more.
    /// </summary>
    public abstract void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> sealedText, ReadOnlySpan<byte> associatedData);

    public abstract void Dispose();

    private sealed class Sodium(ReadOnlySpan<byte> fileKey) : FileSealingKey
    {
        private readonly Key _key = Key.Import(AeadAlgorithm.Aes256Gcm, fileKey, KeyBlobFormat.RawSymmetricKey);

        public override string Implementation => "libsodium";

        public override void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> sealedText, ReadOnlySpan<byte> associatedData) =>
            AeadAlgorithm.Aes256Gcm.Encrypt(_key, nonce, associatedData, plaintext, sealedText);

        public override void Dispose() => _key.Dispose();
    }

    private sealed class OpenSsl(ReadOnlySpan<byte> fileKey) : FileSealingKey
    {
        private readonly AesGcm _aes = new(fileKey, RecordingKey.TagLength);

        public override string Implementation => "OpenSSL";

        public override void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> sealedText, ReadOnlySpan<byte> associatedData) =>
            _aes.Encrypt(nonce, plaintext, sealedText[..plaintext.Length], sealedText[plaintext.Length..], associatedData);

        public override void Dispose() => _aes.Dispose();
    }
}
