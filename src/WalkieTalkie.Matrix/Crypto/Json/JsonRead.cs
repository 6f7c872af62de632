using System.Text.Json;
using System.Text.Json.Nodes;

namespace WalkieTalkie.Matrix.Crypto.Json;

/// <summary>Reads values from untrusted JSON without exceptions: <see cref="JsonValue.TryGetValue{T}"/> throws when a
/// parsed element has another kind (a number where a string was expected), so the kind is checked first.</summary>
public static class JsonRead
{
    /// <summary>The string, or null if the node is missing or not a string.</summary>
    public static string? String(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>The integer, or null if the node is missing or not an integral number that fits 64 bits.</summary>
    public static long? Integer(JsonNode? node)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            return null;
        }

        if (value.TryGetValue(out JsonElement element))
        {
            return element.TryGetInt64(out var parsed) ? parsed : null;
        }

        if (value.TryGetValue(out long l))
        {
            return l;
        }

        if (value.TryGetValue(out int i))
        {
            return i;
        }

        return null;
    }

    /// <summary>The boolean, or null if the node is missing or not a boolean.</summary>
    public static bool? Boolean(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? value.GetValueKind() == JsonValueKind.True : null;
}
