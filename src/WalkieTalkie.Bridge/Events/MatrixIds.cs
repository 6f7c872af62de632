using System.Text;

namespace WalkieTalkie.Bridge.Events;

/// <summary>Checks on Matrix identifiers, as far as the bridge relies on them.</summary>
public static class MatrixIds
{
    /// <summary>The spec's cap on identifiers (user ids: 255 bytes including the sigil and domain).</summary>
    public const int MaxIdBytes = 255;

    /// <summary>
    /// True for <c>@localpart:server</c>: a non-empty localpart without ':' (the first ':' ends it, historical
    /// localparts included), a non-empty server name without '/' (so a state key can be split after it),
    /// no whitespace or control characters, at most 255 bytes.
    /// </summary>
    public static bool IsUserId(string? value)
    {
        if (value is null || value.Length < 4 || value[0] != '@')
        {
            return false;
        }

        if (Encoding.UTF8.GetByteCount(value) > MaxIdBytes)
        {
            return false;
        }

        var colon = value.IndexOf(':');
        if (colon < 2 || colon == value.Length - 1)
        {
            return false;
        }

        if (value.IndexOf('/', colon) >= 0)
        {
            return false;
        }

        return !HasWhitespaceOrControl(value);
    }

    /// <summary>True for a non-empty device id of at most 255 bytes without whitespace or control characters.</summary>
    public static bool IsDeviceId(string? value) =>
        !string.IsNullOrEmpty(value)
        && Encoding.UTF8.GetByteCount(value) <= MaxIdBytes
        && !HasWhitespaceOrControl(value);

    private static bool HasWhitespaceOrControl(string value)
    {
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }
}
