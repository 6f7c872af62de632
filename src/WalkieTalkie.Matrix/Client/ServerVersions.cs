using System.Text.Json.Serialization;

namespace WalkieTalkie.Matrix.Client;

/// <summary><c>GET /_matrix/client/versions</c>: which spec versions and unstable features the server offers.</summary>
public sealed record ServerVersions(
    [property: JsonPropertyName("versions")] IReadOnlyList<string> Versions,
    [property: JsonPropertyName("unstable_features")] IReadOnlyDictionary<string, bool>? UnstableFeatures = null)
{
    /// <summary>Authenticated media (<c>/_matrix/client/v1/media/…</c>) came with spec v1.11 (MSC3916);
    /// servers before that only have <c>/_matrix/media/v3/…</c>.</summary>
    public bool SupportsAuthenticatedMedia =>
        Versions.Any(v => IsAtLeast(v, 1, 11))
        || (UnstableFeatures?.TryGetValue("org.matrix.msc3916.stable", out var on) == true && on);

    private static bool IsAtLeast(string version, int major, int minor)
    {
        // Versions look like "v1.11" (older ones "r0.6.1").
        if (!version.StartsWith('v'))
        {
            return false;
        }

        var parts = version[1..].Split('.');
        if (parts.Length < 2 || !int.TryParse(parts[0], out var ma) || !int.TryParse(parts[1], out var mi))
        {
            return false;
        }

        return ma > major || (ma == major && mi >= minor);
    }
}
