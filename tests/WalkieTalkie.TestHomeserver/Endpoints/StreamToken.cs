using WalkieTalkie.TestHomeserver.Http;

namespace WalkieTalkie.TestHomeserver.Endpoints;

/// <summary>Sync and pagination tokens: <c>s&lt;stream position&gt;</c>. Opaque to clients, as the spec requires.</summary>
internal static class StreamToken
{
    public static string Format(long position) => "s" + position;

    public static long? ParseOptional(string? token, string name)
    {
        if (string.IsNullOrEmpty(token)) return null;
        if (token.Length > 1 && token[0] == 's' && long.TryParse(token.AsSpan(1), out var position) && position >= 0)
            return position;
        throw MatrixException.InvalidParam($"Invalid {name} token");
    }
}
