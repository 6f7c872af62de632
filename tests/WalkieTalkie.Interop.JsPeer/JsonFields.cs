using System.Text.Json.Nodes;

namespace WalkieTalkie.Interop;

/// <summary>Reading the peer's answers; a missing field is a protocol error with the answer in the message.</summary>
internal static class JsonFields
{
    public static string Str(this JsonObject o, string name) =>
        o[name]?.GetValue<string>() ?? throw new JsPeerException($"The peer's answer has no '{name}': {o.ToJsonString()}");

    public static string? OptStr(this JsonObject o, string name) => o[name] is JsonValue v ? v.ToString() : null;

    public static bool Bool(this JsonObject o, string name) => o[name] is JsonValue v && v.GetValue<bool>();

    public static long? OptLong(this JsonObject o, string name) =>
        o[name] is JsonValue v && long.TryParse(v.ToJsonString(), out var n) ? n : null;

    public static long Long(this JsonObject o, string name) =>
        o.OptLong(name) ?? throw new JsPeerException($"The peer's answer has no number '{name}': {o.ToJsonString()}");
}
