using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Json;

namespace WalkieTalkie.Matrix.Crypto.Machine;

/// <summary>Sets of (user, device) and the like in the saved metadata: a JSON array of two-string arrays.</summary>
internal static class MetadataPairs
{
    public static JsonArray Write(IEnumerable<(string, string)> pairs) => new(pairs.Select(p => (JsonNode)new JsonArray(p.Item1, p.Item2)).ToArray());

    /// <summary>The well-formed pairs; anything else is skipped.</summary>
    public static IEnumerable<(string, string)> Read(JsonNode? node) => (node as JsonArray ?? [])
        .OfType<JsonArray>().Where(p => p.Count == 2 && JsonRead.String(p[0]) is not null && JsonRead.String(p[1]) is not null)
        .Select(p => (JsonRead.String(p[0])!, JsonRead.String(p[1])!));
}
