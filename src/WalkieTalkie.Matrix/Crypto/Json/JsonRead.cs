using System.Text.Json;
using System.Text.Json.Nodes;

namespace WalkieTalkie.Matrix.Crypto.Json;

/// <summary>Reads values from untrusted JSON without exceptions: <see cref="JsonValue.TryGetValue{T}"/> throws when a
/// parsed element has another kind (a number where a string was expected), so the kind is checked first.</summary>
public static class JsonRead
{
    /// <summary>The string, or null if the node is missing, not a string, or not valid text (invalid UTF-8, an escaped lone surrogate).</summary>
    public static string? String(JsonNode? node)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return value.GetValue<string>();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Parses untrusted JSON text (a decrypted payload, an event) that must be an object. An object that repeats a
    /// key, and a key or string that is invalid UTF-8 or an escaped lone surrogate, are refused here: System.Text.Json
    /// would otherwise accept them and throw on first use, wherever that is.
    /// </summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.InvalidJson"/>, naming <paramref name="what"/>.</exception>
    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8, string what)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { AllowDuplicateProperties = false });
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new MatrixCryptoException(CryptoError.InvalidJson, $"the {what} is not JSON, or an object in it repeats a key");
        }
        catch (InvalidOperationException)
        {
            // The duplicate check decodes every key, and a key that is invalid UTF-8 or an escaped lone surrogate throws there.
            throw new MatrixCryptoException(CryptoError.InvalidJson, $"the {what} has a key that is not valid text (invalid UTF-8, or an escaped lone surrogate)");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new MatrixCryptoException(CryptoError.InvalidJson, $"the {what} is not a JSON object");
        }

        Parsed(() =>
        {
            ReadAllText(root);
            return root;
        });
        return JsonObject.Create(root)!;
    }

    private static void ReadAllText(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    _ = property.Name;
                    ReadAllText(property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    ReadAllText(item);
                }

                break;
            case JsonValueKind.String:
                _ = value.GetString();
                break;
        }
    }

    /// <summary>
    /// Runs a read of parsed JSON that may build an object's keys or decode a string. System.Text.Json does both
    /// lazily, on first use, and then throws <see cref="ArgumentException"/> for an object that repeats a key and
    /// <see cref="InvalidOperationException"/> for a key or string that is invalid UTF-8 or an escaped lone surrogate:
    /// both become
    /// <see cref="CryptoError.InvalidJson"/>.
    /// </summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.InvalidJson"/>.</exception>
    public static T Parsed<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (ArgumentException)
        {
            throw new MatrixCryptoException(CryptoError.InvalidJson, "a JSON object repeats a key");
        }
        catch (InvalidOperationException)
        {
            throw new MatrixCryptoException(CryptoError.InvalidJson, "a JSON key or string is not valid text (invalid UTF-8, or an escaped lone surrogate)");
        }
    }

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
