using System.Text.Json;
using System.Text.Json.Nodes;

namespace WalkieTalkie.Gateway.Sites.Link;

/// <summary>Writes and reads the link's text messages; what does not parse is a <see cref="LinkFormatException"/>.</summary>
public static class LinkCodec
{
    /// <summary>The longest text message either side takes.</summary>
    public const int MaxTextBytes = Floor.SiteFloorWire.MaxLength;

    /// <summary>What the types of the floor's messages start with (<see cref="Floor.SiteFloorWire"/> reads them).</summary>
    public const string FloorTypePrefix = "org.matrix.msc4002.floor.";

    /// <summary>The longest talker name a <c>burst_start</c> carries.</summary>
    public const int MaxTalkerLength = 64;

    private const int MaxRooms = 256;

    /// <summary>
    /// A talker's name cut to what a <c>burst_start</c> carries (a Matrix display name may be longer), never between the
    /// two halves of a character outside the BMP (an emoji): half of one is not text, and JSON would carry it as U+FFFD
    /// (a "?" on the other sites' badges).
    /// </summary>
    public static string FitTalker(string name)
    {
        if (name.Length <= MaxTalkerLength)
        {
            return name;
        }

        var length = char.IsHighSurrogate(name[MaxTalkerLength - 1]) ? MaxTalkerLength - 1 : MaxTalkerLength;
        return name[..length];
    }

    public static byte[] Write(LinkMessage message)
    {
        var json = message switch
        {
            LinkHello h => new JsonObject
            {
                ["type"] = LinkHello.Type,
                ["gateway_id"] = h.GatewayId,
                ["user_id"] = h.UserId,
                ["openid"] = new JsonObject { ["access_token"] = h.AccessToken, ["matrix_server_name"] = h.ServerName },
                ["rooms"] = new JsonArray(h.Rooms.Select(r => (JsonNode)r).ToArray()),
            },
            LinkWelcome w => new JsonObject
            {
                ["type"] = LinkWelcome.Type,
                ["gateway_id"] = w.GatewayId,
                ["rooms"] = new JsonArray(w.Rooms.Select(r => (JsonNode)r).ToArray()),
            },
            LinkRefused r => new JsonObject { ["type"] = LinkRefused.Type, ["reason"] = r.Reason },
            LinkBurstStart s => WithEventId(new JsonObject
            {
                ["type"] = LinkBurstStart.Type,
                ["room_id"] = s.RoomId,
                ["burst_id"] = s.BurstId,
                ["talker"] = s.Talker,
                ["sample_rate"] = s.SampleRate,
            }, s.EventId),
            LinkBurstEnd e => new JsonObject { ["type"] = LinkBurstEnd.Type, ["burst_id"] = e.BurstId },
            _ => throw new ArgumentException("not a message to send: " + message.GetType().Name, nameof(message)),
        };
        return JsonSerializer.SerializeToUtf8Bytes(json);
    }

    /// <exception cref="LinkFormatException">Not JSON, not an object, or a known type with missing or wrong fields.</exception>
    public static LinkMessage Read(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxTextBytes)
        {
            throw new LinkFormatException($"a text message of {utf8.Length} bytes (at most {MaxTextBytes})");
        }

        JsonObject json;
        try
        {
            json = JsonNode.Parse(utf8) as JsonObject ?? throw new LinkFormatException("not a JSON object");
        }
        catch (JsonException e)
        {
            throw new LinkFormatException("not JSON: " + e.Message);
        }

        var type = Text(json, "type", 64);
        return type switch
        {
            LinkHello.Type => new LinkHello(Text(json, "gateway_id", 63), Text(json, "user_id", 255),
                Text(Object(json, "openid"), "access_token", 1024), Text(Object(json, "openid"), "matrix_server_name", 255), Rooms(json)),
            LinkWelcome.Type => new LinkWelcome(Text(json, "gateway_id", 63), Rooms(json)),
            LinkRefused.Type => new LinkRefused(Text(json, "reason", 1024)),
            LinkBurstStart.Type => new LinkBurstStart(Text(json, "room_id", 255), Number(json, "burst_id"), Text(json, "talker", MaxTalkerLength),
                (int)Number(json, "sample_rate"), json.ContainsKey("event_id") ? Text(json, "event_id", 255) : null),
            LinkBurstEnd.Type => new LinkBurstEnd(Number(json, "burst_id")),
            _ => new LinkUnknown(type),
        };
    }

    private static JsonObject WithEventId(JsonObject json, string? eventId)
    {
        if (eventId is not null)
        {
            json["event_id"] = eventId;
        }

        return json;
    }

    private static IReadOnlyList<string> Rooms(JsonObject json)
    {
        if (json["rooms"] is not JsonArray array || array.Count > MaxRooms)
        {
            throw new LinkFormatException($"rooms is not a list of at most {MaxRooms} room ids");
        }

        return array.Select(r => r is JsonValue v && v.TryGetValue<string>(out var id) && id.Length is > 0 and <= 255
            ? id
            : throw new LinkFormatException("a room id that is not a string")).ToArray();
    }

    private static JsonObject Object(JsonObject json, string name) =>
        json[name] as JsonObject ?? throw new LinkFormatException(name + " is not an object");

    private static string Text(JsonObject json, string name, int maxLength) =>
        json[name] is JsonValue v && v.TryGetValue<string>(out var text) && text.Length is > 0 && text.Length <= maxLength
            ? text
            : throw new LinkFormatException($"{name} is missing or not a string of at most {maxLength} characters");

    private static uint Number(JsonObject json, string name) =>
        json[name] is JsonValue v && v.TryGetValue<long>(out var n) && n is >= 0 and <= uint.MaxValue
            ? (uint)n
            : throw new LinkFormatException(name + " is missing or not a whole number of 32 bits");
}

/// <summary>A link message that does not parse.</summary>
public sealed class LinkFormatException(string message) : Exception(message);
