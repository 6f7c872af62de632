using WalkieTalkie.Gateway.Hosting;

namespace WalkieTalkie.Gateway.Bursts;

/// <summary>
/// The floor holder of audio that does not come from a badge: <c>matrix:{display name}</c>. Badge ids are lowercase
/// letters, digits and dashes, so a colon never names a badge and the two cannot be confused.
/// </summary>
public static class VirtualTalker
{
    public const string Prefix = "matrix:";

    public static string IdFor(string displayName) => Prefix + displayName;

    public static bool Is(string talkerId) => talkerId.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The name badges show in <c>burst-start</c> and the unplayed list.</summary>
    public static string NameOf(string talkerId) => talkerId[Prefix.Length..];

    /// <summary>The talker part of the recording's file name (display names may hold anything).</summary>
    public const string FileName = "matrix";
}
