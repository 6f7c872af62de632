using System.Text.Json.Nodes;

namespace WalkieTalkie.Gateway.Sites.FloorRecord;

/// <summary>What one sync of a granter brought of the floor events: the events in the rooms' order, and where the next sync goes on from.</summary>
public sealed record RoomFloorBatch(string NextBatch, IReadOnlyList<SeenFloorEvent> Events);

/// <summary>An <c>org.matrix.msc4002.floor</c> event of a room as the homeserver delivered it.</summary>
public sealed record SeenFloorEvent(string RoomId, string Sender, string EventId, long OriginServerTs, JsonObject Content);
