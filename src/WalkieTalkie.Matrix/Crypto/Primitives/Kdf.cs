using System.Security.Cryptography;
using System.Text;

namespace WalkieTalkie.Matrix.Crypto.Primitives;

/// <summary>HKDF-SHA-256 and HMAC-SHA-256 as Olm and Megolm use them.</summary>
internal static class Kdf
{
    /// <summary>HKDF with an optional salt; "no salt" equals an empty salt (HMAC zero-pads the key).</summary>
    public static byte[] Hkdf(ReadOnlySpan<byte> inputKeyMaterial, ReadOnlySpan<byte> salt, string info, int length)
    {
        var output = new byte[length];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, inputKeyMaterial, output, salt, Encoding.ASCII.GetBytes(info));
        return output;
    }

    public static byte[] Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => HMACSHA256.HashData(key, data);

    public static byte[] HmacOneByte(ReadOnlySpan<byte> key, byte data) => HMACSHA256.HashData(key, [data]);
}
