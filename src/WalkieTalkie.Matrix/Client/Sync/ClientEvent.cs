using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace WalkieTalkie.Matrix.Client.Sync;

/// <summary>A room event as sync and the room endpoints give it. <see cref="StateKey"/> is set for state events
/// only. Content stays raw JSON: the crypto layer needs it byte-for-byte as sent.</summary>
public sealed record ClientEvent(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("content")] JsonObject Content,
    [property: JsonPropertyName("sender")] string? Sender = null,
    [property: JsonPropertyName("event_id")] string? EventId = null,
    [property: JsonPropertyName("state_key")] string? StateKey = null,
    [property: JsonPropertyName("origin_server_ts")] long? OriginServerTs = null,
    [property: JsonPropertyName("room_id")] string? RoomId = null,
    [property: JsonPropertyName("unsigned")] JsonObject? Unsigned = null)
{
    [JsonIgnore] public bool IsState => StateKey is not null;
}

/// <summary>A to-device event: sent to this device alone, delivered once (the server deletes it when the next
/// <c>since</c> token acknowledges it).</summary>
public sealed record ToDeviceEvent(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("sender")] string Sender,
    [property: JsonPropertyName("content")] JsonObject Content);
