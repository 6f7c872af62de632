using System.Text.Json.Nodes;

namespace WalkieTalkie.Matrix.Crypto.Megolm;

/// <summary>When an outbound Megolm session must be replaced, from the room's <c>m.room.encryption</c> state.
/// Defaults are the spec's and rust-sdk's: one week, 100 messages.</summary>
public sealed record MegolmRotationPolicy(TimeSpan Period, int Messages)
{
    /// <summary>604800000 ms and 100 messages.</summary>
    public static readonly MegolmRotationPolicy Default = new(TimeSpan.FromMilliseconds(604800000), 100);

    /// <summary>Reads <c>rotation_period_ms</c> and <c>rotation_period_msgs</c>; missing, non-integer or non-positive
    /// values fall back to the defaults.</summary>
    public static MegolmRotationPolicy FromEncryptionEvent(JsonObject content)
    {
        var periodMs = Positive(content["rotation_period_ms"]);
        var messages = Positive(content["rotation_period_msgs"]);
        return new MegolmRotationPolicy(
            periodMs is { } ms ? TimeSpan.FromMilliseconds(ms) : Default.Period,
            messages is { } m ? (int)Math.Min(m, int.MaxValue) : Default.Messages);
    }

    private static long? Positive(JsonNode? node) => Json.JsonRead.Integer(node) is > 0 and var n ? n : null;
}
