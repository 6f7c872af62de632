using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WalkieTalkie.TestHomeserver.Http;

/// <summary>Reading request bodies and fields the way Synapse rejects them: M_NOT_JSON, M_BAD_JSON, M_MISSING_PARAM.</summary>
internal static class Json
{
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new JsonObject();
        }

        JsonNode? node;
        try { node = JsonNode.Parse(text); }
        catch (JsonException) { throw MatrixException.NotJson(); }
        return node as JsonObject ?? throw MatrixException.BadJson("Content must be a JSON object.");
    }

    public static string? OptionalString(this JsonObject body, string name) =>
        body[name] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => throw MatrixException.BadJson($"'{name}' must be a string"),
        };

    public static string RequiredString(this JsonObject body, string name) =>
        body.OptionalString(name) ?? throw MatrixException.MissingParam($"Missing '{name}'");

    public static JsonObject? OptionalObject(this JsonObject body, string name) =>
        body[name] switch
        {
            null => null,
            JsonObject o => o,
            _ => throw MatrixException.BadJson($"'{name}' must be an object"),
        };

    public static JsonArray? OptionalArray(this JsonObject body, string name) =>
        body[name] switch
        {
            null => null,
            JsonArray a => a,
            _ => throw MatrixException.BadJson($"'{name}' must be an array"),
        };

    public static bool OptionalBool(this JsonObject body, string name, bool fallback) =>
        body[name] switch
        {
            null => fallback,
            JsonValue v when v.TryGetValue<bool>(out var b) => b,
            _ => throw MatrixException.BadJson($"'{name}' must be a boolean"),
        };

    /// <summary>An integer JSON number (also one given as a whole float, or as a string the way old power levels
    /// may hold them); null for anything else. Works on parsed and on constructed nodes alike.</summary>
    public static long? AsLong(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.Number when long.TryParse(value.ToJsonString(), out var n) => n,
            JsonValueKind.Number when double.TryParse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out var d)
                                      && d == Math.Floor(d) && Math.Abs(d) < 9e15 => (long)d,
            JsonValueKind.String when long.TryParse(value.GetValue<string>(), out var n) => n,
            _ => null,
        };
    }

    public static IResult Ok(JsonNode body, int status = 200) =>
        Results.Content(body.ToJsonString(), "application/json", Encoding.UTF8, status);

    public static IResult Empty() => Ok(new JsonObject());
}
