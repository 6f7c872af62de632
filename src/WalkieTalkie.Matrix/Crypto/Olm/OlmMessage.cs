using WalkieTalkie.Matrix.Crypto.Primitives;

namespace WalkieTalkie.Matrix.Crypto.Olm;

/// <summary>An Olm ciphertext as it travels: its type and the raw message bytes (unpadded base64 in JSON).</summary>
public sealed record OlmMessage(OlmMessageType Type, byte[] Body)
{
    /// <summary>The <c>body</c> string of the to-device ciphertext.</summary>
    public string BodyBase64 => UnpaddedBase64.Encode(Body);

    /// <summary>From the <c>type</c> and <c>body</c> of a to-device ciphertext.</summary>
    /// <exception cref="MatrixCryptoException">Unknown type or bad base64.</exception>
    public static OlmMessage FromBase64(int type, string body) => type switch
    {
        0 => new OlmMessage(OlmMessageType.PreKey, UnpaddedBase64.Decode(body)),
        1 => new OlmMessage(OlmMessageType.Normal, UnpaddedBase64.Decode(body)),
        _ => throw new MatrixCryptoException(CryptoError.MalformedMessage, $"unknown Olm message type {type}"),
    };
}
