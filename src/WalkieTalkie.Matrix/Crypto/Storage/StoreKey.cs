using System.Security.Cryptography;
using System.Text;

namespace WalkieTalkie.Matrix.Crypto.Storage;

/// <summary>The key the key store encrypts saved crypto state with (AES-256-GCM). Saved state holds private keys, so
/// the crypto types only hand it out sealed with a <see cref="StoreKey"/>: <c>account.Save(storeKey)</c>,
/// <c>OlmAccount.Load(bytes, storeKey)</c>. The record kind and an optional caller context (e.g. the row's id) are
/// authenticated, so a sealed record cannot be swapped for another one.</summary>
public sealed class StoreKey : IDisposable
{
    private const byte EnvelopeVersion = 1;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private readonly AesGcm _aes;

    /// <summary>Uses a 32-byte key (from the gateway's secret storage).</summary>
    public StoreKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("a store key is 32 bytes", nameof(key));
        }

        _aes = new AesGcm(key, TagLength);
    }

    /// <summary>A random key, for tests and first start.</summary>
    public static StoreKey Generate() => new(RandomNumberGenerator.GetBytes(32));

    internal byte[] Seal(StateKind kind, byte[] plaintext, string context)
    {
        var sealedData = new byte[1 + NonceLength + plaintext.Length + TagLength];
        sealedData[0] = EnvelopeVersion;
        var nonce = sealedData.AsSpan(1, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        _aes.Encrypt(nonce, plaintext, sealedData.AsSpan(1 + NonceLength, plaintext.Length), sealedData.AsSpan(sealedData.Length - TagLength),
            AssociatedData(kind, context));
        CryptographicOperations.ZeroMemory(plaintext);
        return sealedData;
    }

    internal byte[] Open(StateKind kind, ReadOnlySpan<byte> sealedData, string context)
    {
        if (sealedData.Length < 1 + NonceLength + TagLength || sealedData[0] != EnvelopeVersion)
        {
            throw StateReader.Corrupt("not a sealed record of a known version");
        }

        var plaintext = new byte[sealedData.Length - 1 - NonceLength - TagLength];
        try
        {
            _aes.Decrypt(sealedData.Slice(1, NonceLength), sealedData.Slice(1 + NonceLength, plaintext.Length),
                sealedData[^TagLength..], plaintext, AssociatedData(kind, context));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw StateReader.Corrupt("authentication failed (wrong key, wrong context, or tampered)");
        }
        return plaintext;
    }

    /// <inheritdoc />
    public void Dispose() => _aes.Dispose();

    private static byte[] AssociatedData(StateKind kind, string context) =>
        [.. "walkietalkie-crypto-state/"u8, (byte)kind, .. Encoding.UTF8.GetBytes(context)];
}
