using System.Security.Cryptography;

namespace WalkieTalkie.Matrix.Crypto.Primitives;

/// <summary>The Olm/Megolm cipher: HKDF(IKM, info, 80) gives an AES-256 key, an HMAC key and a CBC IV;
/// AES-256-CBC with PKCS#7; HMAC-SHA-256 truncated to 8 bytes over the whole message before the MAC.</summary>
internal sealed class AesSha2Cipher
{
    public const int MacLength = 8;

    private readonly byte[] _aesKey;
    private readonly byte[] _macKey;
    private readonly byte[] _iv;

    public AesSha2Cipher(ReadOnlySpan<byte> inputKeyMaterial, string info)
    {
        var keys = Kdf.Hkdf(inputKeyMaterial, [], info, 80);
        _aesKey = keys[..32];
        _macKey = keys[32..64];
        _iv = keys[64..80];
    }

    public static AesSha2Cipher ForOlm(ReadOnlySpan<byte> messageKey) => new(messageKey, "OLM_KEYS");
    public static AesSha2Cipher ForMegolm(ReadOnlySpan<byte> ratchet) => new(ratchet, "MEGOLM_KEYS");

    public byte[] Encrypt(ReadOnlySpan<byte> plaintext)
    {
        using var aes = Aes.Create();
        aes.Key = _aesKey;
        return aes.EncryptCbc(plaintext, _iv, PaddingMode.PKCS7);
    }

    public byte[] Decrypt(ReadOnlySpan<byte> ciphertext)
    {
        if (ciphertext.Length == 0 || ciphertext.Length % 16 != 0)
        {
            throw new MatrixCryptoException(CryptoError.MalformedMessage, "the ciphertext is not a whole number of AES blocks");
        }

        using var aes = Aes.Create();
        aes.Key = _aesKey;
        try
        {
            return aes.DecryptCbc(ciphertext, _iv, PaddingMode.PKCS7);
        }
        catch (CryptographicException)
        {
            throw new MatrixCryptoException(CryptoError.BadPadding, "the decrypted message has invalid padding");
        }
    }

    public byte[] Mac(ReadOnlySpan<byte> authenticated) => Kdf.Hmac(_macKey, authenticated)[..MacLength];

    public bool VerifyMac(ReadOnlySpan<byte> authenticated, ReadOnlySpan<byte> mac) =>
        mac.Length == MacLength && CryptographicOperations.FixedTimeEquals(Mac(authenticated), mac);
}
