using System.Text.Json;

namespace WalkieTalkie.Bridge.Events;

/// <summary>
/// System.Text.Json accepts a <c>\u</c> escape of a lone surrogate (<c>"\ud800"</c>) while parsing, then throws
/// <see cref="InvalidOperationException"/> when that string or key is read: by <c>GetString</c>, by a property's
/// <c>Name</c>, and by <c>TryGetProperty</c> on any object holding such a key. Untrusted JSON is checked once with
/// <see cref="IsValid"/> before any of those reads.
/// </summary>
internal static class JsonText
{
    /// <summary>True when every string and key in <paramref name="value"/> is valid UTF-16 text.</summary>
    public static bool IsValid(JsonElement value)
    {
        try
        {
            ReadAll(value);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void ReadAll(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    _ = property.Name;
                    ReadAll(property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    ReadAll(item);
                }

                break;
            case JsonValueKind.String:
                _ = value.GetString();
                break;
        }
    }
}
