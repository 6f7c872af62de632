using System.Text.Json.Nodes;
using WalkieTalkie.TestHomeserver.Http;
using WalkieTalkie.TestHomeserver.State;

namespace WalkieTalkie.TestHomeserver.Endpoints;

/// <summary>
/// <c>kick</c>, <c>ban</c> and <c>unban</c> with the membership authorization rules: the sender needs the room's
/// <c>kick</c>/<c>ban</c> level and a level above the target's (unban needs the ban level only).
/// </summary>
internal static class ModerationEndpoints
{
    private const string V3 = "/_matrix/client/v3";

    public static void Map(WebApplication app, ServerContext s)
    {
        app.MapPost(V3 + "/rooms/{roomId}/kick", (HttpContext http, string roomId) =>
            ChangeAsync(s, http, roomId, "kick", (room, target) =>
            {
                if (room.Membership(target) is not ("join" or "invite" or "knock"))
                {
                    throw MatrixException.Forbidden($"{target} is not in the room");
                }

                return "leave";
            }));
        app.MapPost(V3 + "/rooms/{roomId}/ban", (HttpContext http, string roomId) =>
            ChangeAsync(s, http, roomId, "ban", (_, _) => "ban"));
        app.MapPost(V3 + "/rooms/{roomId}/unban", (HttpContext http, string roomId) =>
            ChangeAsync(s, http, roomId, "unban", (room, target) =>
                room.Membership(target) == "ban" ? "leave" : throw MatrixException.Forbidden($"{target} is not banned")));
    }

    private static async Task<IResult> ChangeAsync(ServerContext s, HttpContext http, string roomId, string action,
        Func<Room, string, string> newMembership)
    {
        var body = await Json.ReadObjectAsync(http.Request);
        var target = body.RequiredString("user_id");
        var reason = body.OptionalString("reason");
        lock (s.State.Gate)
        {
            var device = s.Authenticate(http);
            var room = RoomEndpoints.JoinedRoom(s, roomId, device.UserId);
            var needed = action == "kick" ? "kick" : "ban";
            PowerLevels.RequireAction(room, device.UserId, needed, 50);
            if (action != "unban" && PowerLevels.Of(room, target) >= PowerLevels.Of(room, device.UserId))
            {
                throw MatrixException.Forbidden($"You cannot {action} a user whose power level is at least your own");
            }

            var content = new JsonObject { ["membership"] = newMembership(room, target) };
            if (reason is not null)
            {
                content["reason"] = reason;
            }

            s.State.AppendEvent(room, "m.room.member", device.UserId, content, target, device.DeviceId);
            return Json.Empty();
        }
    }
}
