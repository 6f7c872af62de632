using System.Text.Json.Nodes;
using WalkieTalkie.TestHomeserver.Http;
using WalkieTalkie.TestHomeserver.State;

namespace WalkieTalkie.TestHomeserver.Endpoints;

/// <summary>
/// Receipts and read markers: <c>m.read</c> is shown to every member in /sync <c>ephemeral</c>, <c>m.read.private</c>
/// only to its sender, and <c>m.fully_read</c> becomes room account data, as the spec's receipts module has it.
/// Typing notices are accepted and not relayed.
/// </summary>
internal static class ReceiptEndpoints
{
    private const string V3 = "/_matrix/client/v3";

    public static void Map(WebApplication app, ServerContext s)
    {
        app.MapPost(V3 + "/rooms/{roomId}/receipt/{receiptType}/{eventId}", async (HttpContext http, string roomId, string receiptType, string eventId) =>
        {
            var body = await Json.ReadObjectAsync(http.Request);
            var threadId = body.OptionalString("thread_id");
            lock (s.State.Gate)
            {
                var device = s.Authenticate(http);
                var room = RoomEndpoints.JoinedRoom(s, roomId, device.UserId);
                switch (receiptType)
                {
                    case "m.read" or "m.read.private":
                        RequireEvent(room, eventId);
                        if (threadId is not null && threadId != "main" && !room.Events.Any(e => e.EventId == threadId))
                        {
                            throw MatrixException.InvalidParam("thread_id must be 'main' or the id of a thread root in the room");
                        }

                        Put(s.State, room, device.UserId, receiptType, eventId, threadId);
                        break;
                    case "m.fully_read":
                        if (threadId is not null)
                        {
                            throw MatrixException.InvalidParam("m.fully_read receipts cannot be threaded");
                        }

                        RequireEvent(room, eventId);
                        SetFullyRead(s, device.UserId, roomId, eventId);
                        break;
                    default:
                        throw MatrixException.InvalidParam($"Receipt type must be 'm.read', 'm.read.private' or 'm.fully_read', not '{receiptType}'");
                }
                return Json.Empty();
            }
        });

        app.MapPost(V3 + "/rooms/{roomId}/read_markers", async (HttpContext http, string roomId) =>
        {
            var body = await Json.ReadObjectAsync(http.Request);
            lock (s.State.Gate)
            {
                var device = s.Authenticate(http);
                var room = RoomEndpoints.JoinedRoom(s, roomId, device.UserId);
                var fullyRead = body.OptionalString("m.fully_read");
                var read = body.OptionalString("m.read");
                var readPrivate = body.OptionalString("m.read.private");
                foreach (var id in new[] { fullyRead, read, readPrivate }.OfType<string>())
                {
                    RequireEvent(room, id);
                }

                if (fullyRead is not null)
                {
                    SetFullyRead(s, device.UserId, roomId, fullyRead);
                }

                if (read is not null)
                {
                    Put(s.State, room, device.UserId, "m.read", read, null);
                }

                if (readPrivate is not null)
                {
                    Put(s.State, room, device.UserId, "m.read.private", readPrivate, null);
                }

                return Json.Empty();
            }
        });

        app.MapPut(V3 + "/rooms/{roomId}/typing/{userId}", async (HttpContext http, string roomId, string userId) =>
        {
            await Json.ReadObjectAsync(http.Request);
            lock (s.State.Gate)
            {
                var device = s.Authenticate(http);
                if (device.UserId != userId)
                {
                    throw MatrixException.Forbidden("Cannot set another user's typing state");
                }

                RoomEndpoints.JoinedRoom(s, roomId, device.UserId);
                return Json.Empty();
            }
        });
    }

    /// <summary>The room's <c>m.receipt</c> ephemeral event for a reader: receipts made after <paramref name="since"/>
    /// (all current ones for an initial sync), private ones only for their sender; null when there are none.</summary>
    public static JsonObject? ReceiptEvent(Room room, string reader, long? since)
    {
        var receipts = room.Receipts
            .Where(r => since is null || r.Position > since)
            .Where(r => r.Type != "m.read.private" || r.UserId == reader)
            .ToList();
        if (receipts.Count == 0)
        {
            return null;
        }

        var content = new JsonObject();
        foreach (var r in receipts)
        {
            var byType = content[r.EventId] as JsonObject ?? (JsonObject)(content[r.EventId] = new JsonObject());
            var byUser = byType[r.Type] as JsonObject ?? (JsonObject)(byType[r.Type] = new JsonObject());
            var data = new JsonObject { ["ts"] = r.Ts };
            if (r.ThreadId is not null)
            {
                data["thread_id"] = r.ThreadId;
            }

            byUser[r.UserId] = data;
        }
        return new JsonObject { ["type"] = "m.receipt", ["content"] = content };
    }

    private static long PositionOf(Room room, string eventId) => room.Events.First(e => e.EventId == eventId).Position;

    private static void RequireEvent(Room room, string eventId)
    {
        if (!room.Events.Any(e => e.EventId == eventId))
        {
            throw MatrixException.NotFound($"Event {eventId} not found in {room.RoomId}");
        }
    }

    /// <summary>Sets a receipt. As Synapse, a receipt only moves forward: one for an event older than the current
    /// receipt's event is accepted and ignored.</summary>
    private static void Put(HomeserverState state, Room room, string userId, string type, string eventId, string? threadId)
    {
        var existing = room.Receipts.FirstOrDefault(r => r.UserId == userId && r.Type == type && r.ThreadId == threadId);
        if (existing is not null && PositionOf(room, existing.EventId) > PositionOf(room, eventId))
        {
            return;
        }

        room.Receipts.RemoveAll(r => r.UserId == userId && r.Type == type && r.ThreadId == threadId);
        room.Receipts.Add(new Receipt(state.Advance(), eventId, type, userId, state.NowMs, threadId));
    }

    private static void SetFullyRead(ServerContext s, string userId, string roomId, string eventId) =>
        s.State.Accounts[userId].RoomAccountData[(roomId, "m.fully_read")] =
            (new JsonObject { ["event_id"] = eventId }, s.State.Advance());
}
