using WalkieTalkie.TestHomeserver.Http;

namespace WalkieTalkie.TestHomeserver.Endpoints;

/// <summary>Sync and pagination tokens: <c>s&lt;stream position&gt;</c>. Opaque to clients, as the spec requires.</summary>
internal static class StreamToken
{
    public static string Format(long position) => "s" + position;

    /// <summary>A /sync token: the stream position, and how far the to-device inbox was delivered when a response
    /// carried only part of it (<c>s&lt;position&gt;_&lt;to-device position&gt;</c>); both equal when it was all sent.</summary>
    public static string FormatSync(long position, long toDevice) =>
        toDevice >= position ? Format(position) : $"s{position}_{toDevice}";

    public static (long Position, long ToDevice)? ParseSyncOptional(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var split = token.IndexOf('_');
        if (split < 0)
        {
            return ParseOptional(token, "since") is { } p ? (p, p) : null;
        }

        var position = ParseOptional(token, "since")!.Value;
        if (!long.TryParse(token.AsSpan(split + 1), out var toDevice) || toDevice < 0 || toDevice > position)
        {
            throw MatrixException.InvalidParam("Invalid since token");
        }

        return (position, toDevice);
    }

    /// <summary>The stream position of a token; a sync token's to-device part is ignored (a next_batch may be used as
    /// a pagination or /keys/changes token).</summary>
    public static long? ParseOptional(string? token, string name)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        if (token.IndexOf('_') is var split and > 0)
        {
            token = token[..split];
        }

        if (token.Length > 1 && token[0] == 's' && long.TryParse(token.AsSpan(1), out var position) && position >= 0)
        {
            return position;
        }

        throw MatrixException.InvalidParam($"Invalid {name} token");
    }
}
