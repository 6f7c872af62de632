using System.Buffers.Binary;
using WalkieTalkie.Matrix.Crypto.Primitives;

namespace WalkieTalkie.Matrix.Crypto.Megolm;

/// <summary>The two ways a Megolm ratchet is handed over:
/// the session key of <c>m.room_key</c>, <c>0x02 ‖ u32 BE index ‖ R(128) ‖ K_pub(32) ‖ Ed25519 signature(64)</c>
/// (229 bytes, signed by the session's own key), and the export of forwarded keys and key backups,
/// <c>0x01 ‖ index ‖ R ‖ K_pub</c> (165 bytes, unsigned).</summary>
internal static class MegolmSessionKey
{
    public const byte SessionKeyVersion = 2;
    public const byte ExportVersion = 1;
    private const int ExportLength = 1 + 4 + MegolmRatchet.Length + 32;
    private const int SessionKeyLength = ExportLength + Ed25519KeyPair.SignatureLength;

    public static byte[] EncodeSessionKey(MegolmRatchet ratchet, Ed25519KeyPair signingKey)
    {
        var body = Encode(SessionKeyVersion, ratchet, signingKey.PublicKey);
        return [.. body, .. signingKey.Sign(body)];
    }

    public static byte[] EncodeExport(MegolmRatchet ratchet, byte[] signingPublicKey) => Encode(ExportVersion, ratchet, signingPublicKey);

    /// <exception cref="MatrixCryptoException">Wrong length or version, or <see cref="CryptoError.BadSignature"/>.</exception>
    public static (MegolmRatchet Ratchet, byte[] SigningKey) DecodeSessionKey(ReadOnlySpan<byte> data)
    {
        if (data.Length < 1)
        {
            throw ProtoCodec.Malformed("empty Megolm session key");
        }

        if (data[0] != SessionKeyVersion)
        {
            throw new MatrixCryptoException(CryptoError.UnsupportedVersion, $"Megolm session key version {data[0]} is not supported");
        }

        if (data.Length != SessionKeyLength)
        {
            throw ProtoCodec.Malformed($"a Megolm session key is {SessionKeyLength} bytes");
        }

        var (ratchet, key) = DecodeBody(data[..ExportLength]);
        if (!Ed25519KeyPair.Verify(key, data[..ExportLength], data[ExportLength..]))
        {
            throw new MatrixCryptoException(CryptoError.BadSignature, "the Megolm session key signature does not verify");
        }

        return (ratchet, key);
    }

    /// <exception cref="MatrixCryptoException">Wrong length or version.</exception>
    public static (MegolmRatchet Ratchet, byte[] SigningKey) DecodeExport(ReadOnlySpan<byte> data)
    {
        if (data.Length < 1)
        {
            throw ProtoCodec.Malformed("empty Megolm session export");
        }

        if (data[0] != ExportVersion)
        {
            throw new MatrixCryptoException(CryptoError.UnsupportedVersion, $"Megolm export version {data[0]} is not supported");
        }

        if (data.Length != ExportLength)
        {
            throw ProtoCodec.Malformed($"a Megolm session export is {ExportLength} bytes");
        }

        return DecodeBody(data);
    }

    private static byte[] Encode(byte version, MegolmRatchet ratchet, byte[] signingPublicKey)
    {
        var output = new byte[ExportLength];
        output[0] = version;
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(1), ratchet.Counter);
        ratchet.Data.CopyTo(output, 5);
        signingPublicKey.CopyTo(output, 5 + MegolmRatchet.Length);
        return output;
    }

    private static (MegolmRatchet, byte[]) DecodeBody(ReadOnlySpan<byte> body) =>
        (new MegolmRatchet(BinaryPrimitives.ReadUInt32BigEndian(body[1..]), body.Slice(5, MegolmRatchet.Length).ToArray()),
         body[(5 + MegolmRatchet.Length)..].ToArray());
}
