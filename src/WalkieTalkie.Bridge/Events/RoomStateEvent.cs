using System.Text.Json;

namespace WalkieTalkie.Bridge.Events;

/// <summary>A room event as the bridge needs it: from sync's <c>state</c> or <c>timeline</c>, or from <c>/state</c>.</summary>
/// <param name="Type">The event type.</param>
/// <param name="StateKey">The state key; null for a message event.</param>
/// <param name="Sender">The sending user.</param>
/// <param name="Content">The content, untrusted (any JSON value).</param>
/// <param name="OriginServerTs">The homeserver's timestamp, milliseconds since the epoch.</param>
/// <param name="EventId">The event id, when known.</param>
public sealed record RoomStateEvent(
    string Type, string? StateKey, string Sender, JsonElement Content, long OriginServerTs, string? EventId = null)
{
    /// <summary>Reads the envelope of a client-format event. Never throws; the content is kept as is.</summary>
    public static Parsed<RoomStateEvent> FromJson(JsonElement ev)
    {
        if (ev.ValueKind != JsonValueKind.Object)
        {
            return Malformed("the event is not a JSON object");
        }

        if (!JsonText.IsValid(ev))
        {
            return Malformed("the event holds a string or key that is not valid UTF-16 text (an escaped lone surrogate)");
        }

        if (!ev.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return Malformed("the event has no string \"type\"");
        }

        if (!ev.TryGetProperty("sender", out var sender) || sender.ValueKind != JsonValueKind.String)
        {
            return Malformed("the event has no string \"sender\"");
        }

        if (!ev.TryGetProperty("content", out var content))
        {
            return Malformed("the event has no \"content\"");
        }

        if (!ev.TryGetProperty("origin_server_ts", out var ts) || !JsonFields.TryGetSafeInteger(ts, out var originTs))
        {
            return Malformed("the event has no integer \"origin_server_ts\"");
        }

        string? stateKey = null;
        if (ev.TryGetProperty("state_key", out var key))
        {
            if (key.ValueKind != JsonValueKind.String)
            {
                return Malformed("the event's \"state_key\" is not a string");
            }

            stateKey = key.GetString();
        }
        string? eventId = null;
        if (ev.TryGetProperty("event_id", out var id) && id.ValueKind == JsonValueKind.String)
        {
            eventId = id.GetString();
        }

        return Parsed<RoomStateEvent>.Ok(
            new RoomStateEvent(type.GetString()!, stateKey, sender.GetString()!, content.Clone(), originTs, eventId));
    }

    /// <summary>Parses one client-format event from JSON text. Never throws.</summary>
    public static Parsed<RoomStateEvent> FromJson(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return FromJson(doc.RootElement);
        }
        catch (JsonException e)
        {
            return Malformed("the event is not valid JSON: " + e.Message);
        }
    }

    private static Parsed<RoomStateEvent> Malformed(string message) =>
        Parsed<RoomStateEvent>.Fail(RejectionCode.MalformedEvent, message);
}
