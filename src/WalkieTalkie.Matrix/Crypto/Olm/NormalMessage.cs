using WalkieTalkie.Matrix.Crypto.Primitives;

namespace WalkieTalkie.Matrix.Crypto.Olm;

/// <summary>An Olm type-1 message: <c>0x03 ‖ {1: ratchet key, 2: chain index, 4: ciphertext} ‖ MAC[8]</c>.
/// The MAC covers the version byte and the payload.</summary>
internal sealed class NormalMessage
{
    public const byte Version = 3;

    public required byte[] RatchetKey { get; init; }
    public required uint ChainIndex { get; init; }
    public required byte[] Ciphertext { get; init; }
    /// <summary>Version byte and payload: what the MAC covers.</summary>
    public required byte[] Authenticated { get; init; }
    public required byte[] Mac { get; init; }

    /// <summary>Encodes the payload; the caller appends the MAC computed over it.</summary>
    public static byte[] EncodeWithoutMac(ReadOnlySpan<byte> ratchetKey, uint chainIndex, ReadOnlySpan<byte> ciphertext)
    {
        var output = new List<byte>(ciphertext.Length + 48) { Version };
        ProtoCodec.WriteBytesField(output, 1, ratchetKey);
        ProtoCodec.WriteVarintField(output, 2, chainIndex);
        ProtoCodec.WriteBytesField(output, 4, ciphertext);
        return output.ToArray();
    }

    /// <exception cref="MatrixCryptoException">Unsupported version, truncation, missing fields, a ratchet key that is not 32 bytes.</exception>
    public static NormalMessage Decode(ReadOnlySpan<byte> message)
    {
        if (message.Length < 1 + AesSha2Cipher.MacLength)
        {
            throw ProtoCodec.Malformed("Olm message too short");
        }

        if (message[0] != Version)
        {
            throw new MatrixCryptoException(CryptoError.UnsupportedVersion, $"Olm message version {message[0]} is not supported");
        }

        var payloadEnd = message.Length - AesSha2Cipher.MacLength;
        byte[]? ratchetKey = null, ciphertext = null;
        ulong? index = null;
        ProtoCodec.ReadFields(message[1..payloadEnd], (field, wire, varint, bytes) =>
        {
            switch (field)
            {
                case 1: ProtoCodec.Expect(wire, ProtoCodec.BytesWire, field); ratchetKey = bytes.ToArray(); break;
                case 2: ProtoCodec.Expect(wire, ProtoCodec.VarintWire, field); index = varint; break;
                case 4: ProtoCodec.Expect(wire, ProtoCodec.BytesWire, field); ciphertext = bytes.ToArray(); break;
            }
        });
        if (ratchetKey is null || index is null || ciphertext is null)
        {
            throw ProtoCodec.Malformed("Olm message lacks a ratchet key, chain index or ciphertext");
        }

        if (ratchetKey.Length != Curve25519KeyPair.KeyLength)
        {
            throw ProtoCodec.Malformed("Olm ratchet key is not 32 bytes");
        }

        return new NormalMessage
        {
            RatchetKey = ratchetKey,
            ChainIndex = ProtoCodec.ToUInt32(index.Value, "chain index"),
            Ciphertext = ciphertext,
            Authenticated = message[..payloadEnd].ToArray(),
            Mac = message[payloadEnd..].ToArray(),
        };
    }
}
