using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WalkieTalkie.Matrix.Client.Rooms;

/// <summary>Integer reading that tolerates what real rooms hold: old room versions allow power levels as strings.</summary>
internal static class JsonNumbers
{
    public static long? ReadLong(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        switch (value.GetValueKind())
        {
            case JsonValueKind.Number:
                if (value.TryGetValue(out long l))
                {
                    return l;
                }

                if (value.TryGetValue(out double d) && Math.Abs(d) < 9.007199254740992e15)
                {
                    return (long)d;
                }

                return null;
            case JsonValueKind.String:
                return long.TryParse(value.GetValue<string>().Trim(), NumberStyles.AllowLeadingSign,
                    CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
            default:
                return null;
        }
    }
}
