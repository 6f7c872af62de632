using WalkieTalkie.Matrix.Crypto.Primitives;

namespace WalkieTalkie.Matrix.Crypto.Olm;

/// <summary>An Olm type-0 message: <c>0x03 ‖ {1: one-time key E_B, 2: base key E_A, 3: identity key I_A, 4: normal message}</c>.
/// It has no MAC of its own; the inner message carries one.</summary>
public sealed class PreKeyMessage
{
    private const byte Version = 3;

    private PreKeyMessage(byte[] oneTimeKey, byte[] baseKey, byte[] identityKey, byte[] innerMessage)
    {
        OneTimeKey = oneTimeKey;
        BaseKey = baseKey;
        IdentityKey = identityKey;
        InnerMessage = innerMessage;
    }

    /// <summary>The receiver's one-time or fallback key the sender used (E_B).</summary>
    public byte[] OneTimeKey { get; }
    /// <summary>The sender's ephemeral base key (E_A).</summary>
    public byte[] BaseKey { get; }
    /// <summary>The sender's Curve25519 identity key (I_A).</summary>
    public byte[] IdentityKey { get; }
    internal byte[] InnerMessage { get; }

    /// <summary>The id of the session this message starts: base64(SHA-256(I_A ‖ E_A ‖ E_B)).</summary>
    public string SessionId => OlmSession.ComputeSessionId(IdentityKey, BaseKey, OneTimeKey);

    internal static byte[] Encode(ReadOnlySpan<byte> oneTimeKey, ReadOnlySpan<byte> baseKey, ReadOnlySpan<byte> identityKey, ReadOnlySpan<byte> inner)
    {
        var output = new List<byte>(inner.Length + 112) { Version };
        ProtoCodec.WriteBytesField(output, 1, oneTimeKey);
        ProtoCodec.WriteBytesField(output, 2, baseKey);
        ProtoCodec.WriteBytesField(output, 3, identityKey);
        ProtoCodec.WriteBytesField(output, 4, inner);
        return output.ToArray();
    }

    /// <summary>Parses a pre-key message (the inner message is checked when decrypted).</summary>
    /// <exception cref="MatrixCryptoException">Unsupported version, truncation, missing fields, keys that are not 32 bytes.</exception>
    public static PreKeyMessage Decode(ReadOnlySpan<byte> message)
    {
        if (message.Length < 1)
        {
            throw ProtoCodec.Malformed("empty pre-key message");
        }

        if (message[0] != Version)
        {
            throw new MatrixCryptoException(CryptoError.UnsupportedVersion, $"Olm pre-key message version {message[0]} is not supported");
        }

        byte[]? oneTimeKey = null, baseKey = null, identityKey = null, inner = null;
        ProtoCodec.ReadFields(message[1..], (field, wire, _, bytes) =>
        {
            if (field is >= 1 and <= 4)
            {
                ProtoCodec.Expect(wire, ProtoCodec.BytesWire, field);
            }

            switch (field)
            {
                case 1: oneTimeKey = bytes.ToArray(); break;
                case 2: baseKey = bytes.ToArray(); break;
                case 3: identityKey = bytes.ToArray(); break;
                case 4: inner = bytes.ToArray(); break;
            }
        });
        if (oneTimeKey is null || baseKey is null || identityKey is null || inner is null)
        {
            throw ProtoCodec.Malformed("pre-key message lacks a key or its inner message");
        }

        if (oneTimeKey.Length != 32 || baseKey.Length != 32 || identityKey.Length != 32)
        {
            throw ProtoCodec.Malformed("pre-key message keys must be 32 bytes");
        }

        return new PreKeyMessage(oneTimeKey, baseKey, identityKey, inner);
    }

    /// <summary>Parses the body of a type-0 <see cref="OlmMessage"/>.</summary>
    public static PreKeyMessage Decode(OlmMessage message) =>
        message.Type == OlmMessageType.PreKey ? Decode(message.Body) : throw ProtoCodec.Malformed("not a pre-key message");
}
