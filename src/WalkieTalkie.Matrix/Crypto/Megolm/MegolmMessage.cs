using WalkieTalkie.Matrix.Crypto.Primitives;

namespace WalkieTalkie.Matrix.Crypto.Megolm;

/// <summary>A Megolm message: <c>0x03 ‖ {1: message index, 2: ciphertext} ‖ MAC[8] ‖ Ed25519 signature[64]</c>.
/// The MAC covers version and payload; the signature covers everything before it.</summary>
internal sealed class MegolmMessage
{
    public const byte Version = 3;
    private const int SignatureLength = Ed25519KeyPair.SignatureLength;

    public required uint MessageIndex { get; init; }
    public required byte[] Ciphertext { get; init; }
    public required byte[] Authenticated { get; init; }
    public required byte[] Mac { get; init; }
    public required byte[] Signed { get; init; }
    public required byte[] Signature { get; init; }

    public static byte[] EncodeWithoutMac(uint index, ReadOnlySpan<byte> ciphertext)
    {
        var output = new List<byte>(ciphertext.Length + 16) { Version };
        ProtoCodec.WriteVarintField(output, 1, index);
        ProtoCodec.WriteBytesField(output, 2, ciphertext);
        return output.ToArray();
    }

    /// <exception cref="MatrixCryptoException">Unsupported version, truncation, missing fields, an index beyond 32 bits.</exception>
    public static MegolmMessage Decode(ReadOnlySpan<byte> message)
    {
        if (message.Length < 1 + AesSha2Cipher.MacLength + SignatureLength)
        {
            throw ProtoCodec.Malformed("Megolm message too short");
        }

        if (message[0] != Version)
        {
            throw new MatrixCryptoException(CryptoError.UnsupportedVersion, $"Megolm message version {message[0]} is not supported");
        }

        var signedEnd = message.Length - SignatureLength;
        var payloadEnd = signedEnd - AesSha2Cipher.MacLength;
        ulong? index = null;
        byte[]? ciphertext = null;
        ProtoCodec.ReadFields(message[1..payloadEnd], (field, wire, varint, bytes) =>
        {
            switch (field)
            {
                case 1: ProtoCodec.Expect(wire, ProtoCodec.VarintWire, field); index = varint; break;
                case 2: ProtoCodec.Expect(wire, ProtoCodec.BytesWire, field); ciphertext = bytes.ToArray(); break;
            }
        });
        if (index is null || ciphertext is null)
        {
            throw ProtoCodec.Malformed("Megolm message lacks an index or ciphertext");
        }

        return new MegolmMessage
        {
            MessageIndex = ProtoCodec.ToUInt32(index.Value, "message index"),
            Ciphertext = ciphertext,
            Authenticated = message[..payloadEnd].ToArray(),
            Mac = message[payloadEnd..signedEnd].ToArray(),
            Signed = message[..signedEnd].ToArray(),
            Signature = message[signedEnd..].ToArray(),
        };
    }
}
