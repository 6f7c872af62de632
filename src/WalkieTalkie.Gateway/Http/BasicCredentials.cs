using System.Text;

namespace WalkieTalkie.Gateway.Http;

/// <summary>Reads an HTTP Basic <c>Authorization</c> header (RFC 7617): the badge id and its secret.</summary>
public static class BasicCredentials
{
    /// <summary>The user and password, or null when the header is missing or not well-formed Basic credentials.</summary>
    public static (string User, string Password)? Parse(string? header)
    {
        const string scheme = "Basic ";
        if (header is null || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        Span<byte> decoded = stackalloc byte[256];
        if (!Convert.TryFromBase64String(header[scheme.Length..].Trim(), decoded, out var length))
        {
            return null;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(decoded[..length]);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        var colon = text.IndexOf(':');
        return colon <= 0 ? null : (text[..colon], text[(colon + 1)..]);
    }
}
