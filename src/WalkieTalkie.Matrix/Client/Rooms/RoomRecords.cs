using System.Text.Json.Serialization;

namespace WalkieTalkie.Matrix.Client.Rooms;

/// <summary>An answer holding the id of the event just created.</summary>
public sealed record EventIdResponse([property: JsonPropertyName("event_id")] string EventId);

/// <summary>An answer holding a room id (join, createRoom).</summary>
public sealed record RoomIdResponse([property: JsonPropertyName("room_id")] string RoomId);

/// <summary><c>GET /joined_rooms</c>.</summary>
public sealed record JoinedRoomsResponse([property: JsonPropertyName("joined_rooms")] List<string> JoinedRooms);
