using System.Text.Json.Nodes;

namespace WalkieTalkie.Matrix.Client.Rooms;

/// <summary>A room's <c>m.room.encryption</c> content.</summary>
public sealed record RoomEncryption(string Algorithm, long? RotationPeriodMs, long? RotationPeriodMsgs, JsonObject Content)
{
    /// <summary>Reads the content; null when it names no algorithm (such an event cannot turn encryption off).</summary>
    public static RoomEncryption? Parse(JsonObject content)
    {
        if (content["algorithm"] is not JsonValue a || !a.TryGetValue(out string? algorithm) || algorithm.Length == 0)
        {
            return null;
        }

        return new RoomEncryption(algorithm, JsonNumbers.ReadLong(content["rotation_period_ms"]),
            JsonNumbers.ReadLong(content["rotation_period_msgs"]), content);
    }
}
