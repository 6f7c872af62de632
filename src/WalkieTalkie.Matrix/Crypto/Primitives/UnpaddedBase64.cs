namespace WalkieTalkie.Matrix.Crypto.Primitives;

/// <summary>Matrix's base64: standard alphabet without padding (keys, signatures, messages), and the base64url
/// variant used only for the JWK <c>k</c> of encrypted attachments. Decoding accepts input with or without padding.</summary>
public static class UnpaddedBase64
{
    /// <summary>Standard alphabet, no padding.</summary>
    public static string Encode(ReadOnlySpan<byte> data) => Convert.ToBase64String(data).TrimEnd('=');

    /// <summary>URL-safe alphabet (<c>-_</c>), no padding.</summary>
    public static string EncodeUrl(ReadOnlySpan<byte> data) =>
        Encode(data).Replace('+', '-').Replace('/', '_');

    /// <summary>Decodes standard base64 with or without padding.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.InvalidBase64"/></exception>
    public static byte[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains('-') || text.Contains('_'))
        {
            throw Invalid();
        }

        return DecodeStandard(text);
    }

    /// <summary>Decodes base64url with or without padding.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.InvalidBase64"/></exception>
    public static byte[] DecodeUrl(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains('+') || text.Contains('/'))
        {
            throw Invalid();
        }

        return DecodeStandard(text.Replace('-', '+').Replace('_', '/'));
    }

    /// <summary>Decodes and checks the length, for keys and signatures.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.InvalidBase64"/> or <see cref="CryptoError.InvalidKey"/></exception>
    public static byte[] DecodeExact(string text, int length, string what)
    {
        var bytes = Decode(text);
        if (bytes.Length != length)
        {
            throw new MatrixCryptoException(CryptoError.InvalidKey, $"{what} must be {length} bytes, got {bytes.Length}");
        }

        return bytes;
    }

    private static byte[] DecodeStandard(string text)
    {
        var trimmed = text.TrimEnd('=');
        if (trimmed.Length % 4 == 1 || text.Length - trimmed.Length > 2)
        {
            throw Invalid();
        }

        var padded = trimmed.PadRight(trimmed.Length + (4 - trimmed.Length % 4) % 4, '=');
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            throw Invalid();
        }
    }

    private static MatrixCryptoException Invalid() => new(CryptoError.InvalidBase64, "not valid unpadded base64");
}
