using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using WalkieTalkie.TestHomeserver.Http;
using WalkieTalkie.TestHomeserver.State;

namespace WalkieTalkie.TestHomeserver.Endpoints;

/// <summary>Room creation, membership, sending events and reading room state and history.</summary>
internal static class RoomEndpoints
{
    private const string V3 = "/_matrix/client/v3";

    /// <summary>The spec's event size limit (Synapse <c>MAX_PDU_SIZE</c>); the client JSON is a little smaller than
    /// the federation PDU, so this check is slightly more lenient than Synapse's.</summary>
    private const int MaxEventSize = 65536;

    public static void Map(WebApplication app, ServerContext s)
    {
        app.MapPost(V3 + "/createRoom", async (HttpContext http) =>
        {
            var body = await Json.ReadObjectAsync(http.Request);
            lock (s.State.Gate)
            {
                return Json.Ok(new JsonObject { ["room_id"] = RoomCreation.Create(s, s.Authenticate(http), body) });
            }
        });
        app.MapPost(V3 + "/join/{roomIdOrAlias}", (HttpContext http, string roomIdOrAlias) => JoinAsync(s, http, roomIdOrAlias));
        app.MapPost(V3 + "/rooms/{roomId}/join", (HttpContext http, string roomId) => JoinAsync(s, http, roomId));
        app.MapPost(V3 + "/rooms/{roomId}/invite", async (HttpContext http, string roomId) =>
        {
            var body = await Json.ReadObjectAsync(http.Request);
            lock (s.State.Gate)
            {
                var device = s.Authenticate(http);
                var room = JoinedRoom(s, roomId, device.UserId);
                var target = body.RequiredString("user_id");
                PowerLevels.RequireAction(room, device.UserId, "invite", 0);
                if (room.Membership(target) is "join" or "ban")
                {
                    throw MatrixException.Forbidden($"{target} is already in the room.");
                }

                s.Limit(s.Switches.Invites, "rc_invites.per_issuer", device.UserId, 0.3, 10);
                s.Limit(s.Switches.Invites, "rc_invites.per_user", target, 0.003, 5);
                s.State.AppendEvent(room, "m.room.member", device.UserId, new JsonObject { ["membership"] = "invite" }, target);
                return Json.Empty();
            }
        });
        app.MapPost(V3 + "/rooms/{roomId}/leave", async (HttpContext http, string roomId) =>
        {
            await Json.ReadObjectAsync(http.Request);
            lock (s.State.Gate)
            {
                var device = s.Authenticate(http);
                var room = s.State.Rooms.GetValueOrDefault(roomId);
                if (room is null || room.Membership(device.UserId) is not ("join" or "invite"))
                {
                    throw MatrixException.Forbidden($"User {device.UserId} is not in room {roomId}");
                }

                s.State.AppendEvent(room, "m.room.member", device.UserId, new JsonObject { ["membership"] = "leave" }, device.UserId);
                return Json.Empty();
            }
        });
        app.MapPost(V3 + "/rooms/{roomId}/forget", (HttpContext http, string roomId) =>
        {
            lock (s.State.Gate)
            {
                s.Authenticate(http);
            }

            return Json.Empty();
        });
        app.MapGet(V3 + "/joined_rooms", (HttpContext http) =>
        {
            lock (s.State.Gate)
            {
                var device = s.Authenticate(http);
                var rooms = s.State.Rooms.Values.Where(r => r.Membership(device.UserId) == "join").Select(r => (JsonNode)r.RoomId);
                return Json.Ok(new JsonObject { ["joined_rooms"] = new JsonArray(rooms.ToArray()) });
            }
        });

        app.MapPut(V3 + "/rooms/{roomId}/send/{eventType}/{txnId}", async (HttpContext http, string roomId, string eventType, string txnId) =>
        {
            var body = await Json.ReadObjectAsync(http.Request);
            lock (s.State.Gate)
            {
                var device = s.Authenticate(http);
                var key = roomId + "\n" + eventType + "\n" + txnId;
                if (device.RoomTransactions.TryGetValue(key, out var earlier))
                {
                    return Json.Ok(new JsonObject { ["event_id"] = earlier });
                }

                var room = JoinedRoom(s, roomId, device.UserId);
                PowerLevels.RequireForEvent(room, device.UserId, eventType, isState: false);
                CheckSize(body);
                s.Limit(s.Switches.Message, "rc_message", device.UserId, 0.2, 10);
                var stored = s.State.AppendEvent(room, eventType, device.UserId, body, null, device.DeviceId, txnId);
                device.RoomTransactions[key] = stored.EventId;
                return Json.Ok(new JsonObject { ["event_id"] = stored.EventId });
            }
        });
        app.MapPut(V3 + "/rooms/{roomId}/state/{eventType}/{stateKey}", (HttpContext http, string roomId, string eventType, string stateKey) =>
            PutStateAsync(s, http, roomId, eventType, RouteSlashes(stateKey)));
        app.MapPut(V3 + "/rooms/{roomId}/state/{eventType}", (HttpContext http, string roomId, string eventType) =>
            PutStateAsync(s, http, roomId, eventType, ""));

        app.MapGet(V3 + "/rooms/{roomId}/state", (HttpContext http, string roomId) =>
        {
            lock (s.State.Gate)
            {
                var device = s.Authenticate(http);
                var room = JoinedRoom(s, roomId, device.UserId);
                return Json.Ok(ClientEvents.List(room.State.Values.OrderBy(e => e.Position), s.State, device));
            }
        });
        app.MapGet(V3 + "/rooms/{roomId}/state/{eventType}/{stateKey}", (HttpContext http, string roomId, string eventType, string stateKey) =>
            GetState(s, http, roomId, eventType, RouteSlashes(stateKey)));
        app.MapGet(V3 + "/rooms/{roomId}/state/{eventType}", (HttpContext http, string roomId, string eventType) =>
            GetState(s, http, roomId, eventType, ""));
        app.MapGet(V3 + "/rooms/{roomId}/members", (HttpContext http, string roomId) =>
        {
            lock (s.State.Gate)
            {
                var device = s.Authenticate(http);
                var room = JoinedRoom(s, roomId, device.UserId);
                var only = http.Request.Query["membership"].ToString();
                var not = http.Request.Query["not_membership"].ToString();
                var members = room.State.Where(p => p.Key.Type == "m.room.member")
                    .Where(p => only.Length == 0 || room.Membership(p.Key.StateKey) == only)
                    .Where(p => not.Length == 0 || room.Membership(p.Key.StateKey) != not)
                    .Select(p => p.Value).OrderBy(e => e.Position);
                return Json.Ok(new JsonObject { ["chunk"] = ClientEvents.List(members, s.State, device) });
            }
        });
        app.MapGet(V3 + "/rooms/{roomId}/joined_members", (HttpContext http, string roomId) =>
        {
            lock (s.State.Gate)
            {
                var device = s.Authenticate(http);
                var room = JoinedRoom(s, roomId, device.UserId);
                var joined = new JsonObject();
                foreach (var userId in room.MembersWith("join"))
                {
                    joined[userId] = new JsonObject
                    {
                        ["display_name"] = room.MemberEvent(userId)!.Event["content"]?["displayname"]?.DeepClone(),
                        ["avatar_url"] = null,
                    };
                }

                return Json.Ok(new JsonObject { ["joined"] = joined });
            }
        });
        app.MapGet(V3 + "/rooms/{roomId}/messages", (HttpContext http, string roomId) => Messages(s, http, roomId));
        app.MapGet(V3 + "/rooms/{roomId}/event/{eventId}", (HttpContext http, string roomId, string eventId) =>
        {
            lock (s.State.Gate)
            {
                var device = s.Authenticate(http);
                var room = JoinedRoom(s, roomId, device.UserId);
                var stored = room.Events.FirstOrDefault(e => e.EventId == eventId);
                if (stored is null || !HistoryVisibility.VisiblePositions(room, device.UserId).Contains(stored.Position))
                {
                    throw MatrixException.NotFound("Could not find event " + eventId);
                }

                return Json.Ok(ClientEvents.For(stored, s.State, device));
            }
        });

        app.MapGet(V3 + "/directory/room/{alias}", (string alias) =>
        {
            lock (s.State.Gate)
            {
                return s.State.Aliases.TryGetValue(alias, out var roomId)
                    ? Json.Ok(new JsonObject { ["room_id"] = roomId, ["servers"] = new JsonArray(s.State.ServerName) })
                    : throw MatrixException.NotFound($"Room alias {alias} not found");
            }
        });
    }

    internal static Room JoinedRoom(ServerContext s, string roomId, string userId)
    {
        var room = s.State.Rooms.GetValueOrDefault(roomId);
        if (room is null || room.Membership(userId) != "join")
        {
            throw MatrixException.Forbidden($"User {userId} not in room {roomId}");
        }

        return room;
    }

    private static void CheckSize(JsonObject content)
    {
        if (Encoding.UTF8.GetByteCount(content.ToJsonString()) > MaxEventSize)
        {
            throw MatrixException.TooLarge("event too large");
        }
    }

    private static async Task<IResult> JoinAsync(ServerContext s, HttpContext http, string roomIdOrAlias)
    {
        await Json.ReadObjectAsync(http.Request);
        lock (s.State.Gate)
        {
            var device = s.Authenticate(http);
            var roomId = roomIdOrAlias.StartsWith('#')
                ? s.State.Aliases.GetValueOrDefault(roomIdOrAlias) ?? throw MatrixException.NotFound($"Room alias {roomIdOrAlias} not found")
                : roomIdOrAlias;
            var room = s.State.Rooms.GetValueOrDefault(roomId)
                       ?? throw MatrixException.NotFound("Can't join remote room because no servers that are in the room have been provided.");
            var membership = room.Membership(device.UserId);
            if (membership == "join")
            {
                return Json.Ok(new JsonObject { ["room_id"] = roomId });
            }

            if (membership == "ban")
            {
                throw MatrixException.Forbidden("You are banned from this room");
            }

            var joinRule = room.StateContent("m.room.join_rules")?["join_rule"]?.GetValue<string>() ?? "invite";
            if (membership != "invite" && joinRule != "public")
            {
                throw MatrixException.Forbidden("You are not invited to this room.");
            }

            s.Limit(s.Switches.Joins, "rc_joins.local", device.UserId, 0.1, 10);
            var content = new JsonObject { ["membership"] = "join" };
            if (s.State.Accounts[device.UserId].DisplayName is { } name)
            {
                content["displayname"] = name;
            }

            s.State.AppendEvent(room, "m.room.member", device.UserId, content, device.UserId, device.DeviceId);
            return Json.Ok(new JsonObject { ["room_id"] = roomId });
        }
    }

    /// <summary>ASP.NET Core decodes every escape in a route value except <c>%2F</c> (so a path cannot gain segments);
    /// Matrix state keys hold slashes (MSC4002's <c>device/{user}/{device}</c>), which clients send as <c>%2F</c>.</summary>
    private static string RouteSlashes(string routeValue) =>
        routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    private static async Task<IResult> PutStateAsync(ServerContext s, HttpContext http, string roomId, string eventType, string stateKey)
    {
        var body = await Json.ReadObjectAsync(http.Request);
        lock (s.State.Gate)
        {
            var device = s.Authenticate(http);
            var room = JoinedRoom(s, roomId, device.UserId);
            if (eventType == "m.room.member" && stateKey != device.UserId)
            {
                throw MatrixException.Forbidden("Use the membership endpoints to change other users' membership");
            }

            PowerLevels.RequireForEvent(room, device.UserId, eventType, isState: true);
            if (eventType == "m.room.power_levels" && stateKey == "")
            {
                PowerLevels.RequirePowerLevelsChange(room, device.UserId, body);
            }

            CheckSize(body);
            s.Limit(s.Switches.Message, "rc_message", device.UserId, 0.2, 10);
            var stored = s.State.AppendEvent(room, eventType, device.UserId, body, stateKey, device.DeviceId);
            return Json.Ok(new JsonObject { ["event_id"] = stored.EventId });
        }
    }

    private static IResult GetState(ServerContext s, HttpContext http, string roomId, string eventType, string stateKey)
    {
        lock (s.State.Gate)
        {
            var device = s.Authenticate(http);
            var room = JoinedRoom(s, roomId, device.UserId);
            return room.StateContent(eventType, stateKey) is { } content
                ? Json.Ok(content.DeepClone())
                : throw MatrixException.NotFound("Event not found.");
        }
    }

    /// <summary><c>/messages</c>: pages of the room's events backwards or forwards from a stream position.</summary>
    private static IResult Messages(ServerContext s, HttpContext http, string roomId)
    {
        var query = http.Request.Query;
        var backwards = query["dir"].ToString() switch
        {
            "b" => true,
            "f" => false,
            _ => throw MatrixException.InvalidParam("dir must be 'b' or 'f'"),
        };
        var limit = int.TryParse(query["limit"], out var l) && l > 0 ? Math.Min(l, 1000) : 10;
        lock (s.State.Gate)
        {
            var device = s.Authenticate(http);
            var room = JoinedRoom(s, roomId, device.UserId);
            var from = StreamToken.ParseOptional(query["from"], "from") ?? (backwards ? s.State.Position : 0);
            var to = StreamToken.ParseOptional(query["to"], "to");
            var visible = HistoryVisibility.VisiblePositions(room, device.UserId);
            var events = room.Events.Where(e => visible.Contains(e.Position));
            var page = backwards
                ? events.Where(e => e.Position <= from && (to is null || e.Position > to)).Reverse().Take(limit).ToList()
                : events.Where(e => e.Position > from && (to is null || e.Position <= to)).Take(limit).ToList();
            var result = new JsonObject
            {
                ["chunk"] = ClientEvents.List(page, s.State, device),
                ["start"] = StreamToken.Format(from),
                ["state"] = new JsonArray(),
            };
            if (page.Count == limit)
            {
                result["end"] = StreamToken.Format(backwards ? page[^1].Position - 1 : page[^1].Position);
            }

            return Json.Ok(result);
        }
    }
}
