using System.Text.Json.Nodes;
using WalkieTalkie.TestHomeserver.Http;
using WalkieTalkie.TestHomeserver.State;

namespace WalkieTalkie.TestHomeserver.Endpoints;

/// <summary>
/// <c>GET /_matrix/client/v1/rooms/{roomId}/relations/{eventId}[/{relType}[/{eventType}]]</c>: the events whose
/// <c>m.relates_to</c> points at an event (threads, replacements, annotations, references), as stored: the fixture
/// never rewrites content, and an encrypted event is matched by its cleartext <c>m.relates_to</c> and its wire type.
/// Newest first by default (<c>dir=b</c>), paginated by stream position.
/// </summary>
internal static class RelationEndpoints
{
    public static void Map(WebApplication app, ServerContext s)
    {
        const string path = "/_matrix/client/v1/rooms/{roomId}/relations/{eventId}";
        app.MapGet(path, (HttpContext http, string roomId, string eventId) => Relations(s, http, roomId, eventId, null, null));
        app.MapGet(path + "/{relType}", (HttpContext http, string roomId, string eventId, string relType) =>
            Relations(s, http, roomId, eventId, relType, null));
        app.MapGet(path + "/{relType}/{eventType}", (HttpContext http, string roomId, string eventId, string relType, string eventType) =>
            Relations(s, http, roomId, eventId, relType, eventType));
    }

    private static IResult Relations(ServerContext s, HttpContext http, string roomId, string eventId, string? relType, string? eventType)
    {
        var query = http.Request.Query;
        var backwards = query["dir"].ToString() switch
        {
            "" or "b" => true,
            "f" => false,
            _ => throw MatrixException.InvalidParam("dir must be 'b' or 'f'"),
        };
        var limit = int.TryParse(query["limit"], out var l) && l > 0 ? Math.Min(l, 1000) : 5;
        lock (s.State.Gate)
        {
            var device = s.Authenticate(http);
            var room = RoomEndpoints.JoinedRoom(s, roomId, device.UserId);
            var visible = HistoryVisibility.VisiblePositions(room, device.UserId);
            var parent = room.Events.FirstOrDefault(e => e.EventId == eventId);
            if (parent is null || !visible.Contains(parent.Position))
            {
                throw MatrixException.NotFound("Event not found");
            }

            var from = StreamToken.ParseOptional(query["from"], "from");
            var related = room.Events.Where(e => visible.Contains(e.Position) && RelatesTo(e, eventId, relType)
                                                 && (eventType is null || e.Type == eventType));
            var page = (backwards
                    ? related.Where(e => from is null || e.Position < from).Reverse()
                    : related.Where(e => from is null || e.Position > from))
                .Take(limit + 1).ToList();
            var result = new JsonObject();
            if (page.Count > limit)
            {
                page.RemoveAt(limit);
                result["next_batch"] = StreamToken.Format(page[^1].Position);
            }
            result["chunk"] = ClientEvents.List(page, s.State, device);
            return Json.Ok(result);
        }
    }

    private static bool RelatesTo(StoredEvent e, string eventId, string? relType)
    {
        var relation = e.Event["content"]?["m.relates_to"] as JsonObject;
        if (relation?["event_id"] is not JsonValue target || target.ToString() != eventId)
        {
            return false;
        }

        var type = relation["rel_type"] is JsonValue t ? t.ToString() : null;
        return type is not null && (relType is null || type == relType);
    }
}
