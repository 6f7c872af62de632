using System.Text.Json.Nodes;
using WalkieTalkie.TestHomeserver.Http;

namespace WalkieTalkie.TestHomeserver.Endpoints;

/// <summary>Capabilities, push rules, filters, account data, profile, presence and TURN: what a client reads
/// at start-up.</summary>
internal static class AccountEndpoints
{
    private const string V3 = "/_matrix/client/v3";

    public static void Map(WebApplication app, ServerContext s)
    {
        app.MapGet(V3 + "/capabilities", (HttpContext http) =>
        {
            lock (s.State.Gate)
            {
                s.Authenticate(http);
            }

            return Json.Ok(new JsonObject
            {
                ["capabilities"] = new JsonObject
                {
                    ["m.change_password"] = new JsonObject { ["enabled"] = false },
                    ["m.room_versions"] = new JsonObject
                    {
                        ["default"] = "10",
                        ["available"] = new JsonObject { ["10"] = "stable", ["11"] = "stable" },
                    },
                    ["m.set_displayname"] = new JsonObject { ["enabled"] = true },
                    ["m.set_avatar_url"] = new JsonObject { ["enabled"] = true },
                    ["m.3pid_changes"] = new JsonObject { ["enabled"] = false },
                },
            });
        });
        // No push rules are kept: an empty rule set, as for a server with push disabled.
        app.MapGet(V3 + "/pushrules/", (HttpContext http) =>
        {
            lock (s.State.Gate)
            {
                s.Authenticate(http);
            }

            return Json.Ok(new JsonObject
            {
                ["global"] = new JsonObject
                {
                    ["override"] = new JsonArray(), ["content"] = new JsonArray(), ["room"] = new JsonArray(),
                    ["sender"] = new JsonArray(), ["underride"] = new JsonArray(),
                },
            });
        });

        app.MapPost(V3 + "/user/{userId}/filter", async (HttpContext http, string userId) =>
        {
            var body = await Json.ReadObjectAsync(http.Request);
            lock (s.State.Gate)
            {
                var account = s.AccountOf(s.Authenticate(http));
                if (account.UserId != userId)
                {
                    throw MatrixException.Forbidden("Cannot create filters for other users");
                }

                account.Filters.Add(body);
                return Json.Ok(new JsonObject { ["filter_id"] = (account.Filters.Count - 1).ToString() });
            }
        });
        app.MapGet(V3 + "/user/{userId}/filter/{filterId}", (HttpContext http, string userId, string filterId) =>
        {
            lock (s.State.Gate)
            {
                var account = s.AccountOf(s.Authenticate(http));
                if (account.UserId != userId)
                {
                    throw MatrixException.Forbidden("Cannot get filters for other users");
                }

                return int.TryParse(filterId, out var id) && id >= 0 && id < account.Filters.Count
                    ? Json.Ok(account.Filters[id].DeepClone())
                    : throw MatrixException.NotFound("No such filter");
            }
        });

        app.MapGet(V3 + "/user/{userId}/account_data/{type}", (HttpContext http, string userId, string type) =>
        {
            lock (s.State.Gate)
            {
                var account = s.AccountOf(s.Authenticate(http));
                if (account.UserId != userId)
                {
                    throw MatrixException.Forbidden("Cannot get account data for other users.");
                }

                return account.AccountData.TryGetValue(type, out var data)
                    ? Json.Ok(data.Content.DeepClone())
                    : throw MatrixException.NotFound("Account data not found");
            }
        });
        app.MapPut(V3 + "/user/{userId}/account_data/{type}", async (HttpContext http, string userId, string type) =>
        {
            var body = await Json.ReadObjectAsync(http.Request);
            lock (s.State.Gate)
            {
                var account = s.AccountOf(s.Authenticate(http));
                if (account.UserId != userId)
                {
                    throw MatrixException.Forbidden("Cannot add account data for other users.");
                }

                account.AccountData[type] = (body, s.State.Advance());
                return Json.Empty();
            }
        });

        app.MapGet(V3 + "/user/{userId}/rooms/{roomId}/account_data/{type}", (HttpContext http, string userId, string roomId, string type) =>
        {
            lock (s.State.Gate)
            {
                var account = s.AccountOf(s.Authenticate(http));
                if (account.UserId != userId)
                {
                    throw MatrixException.Forbidden("Cannot get account data for other users.");
                }

                return account.RoomAccountData.TryGetValue((roomId, type), out var data)
                    ? Json.Ok(data.Content.DeepClone())
                    : throw MatrixException.NotFound("Room account data not found");
            }
        });
        app.MapPut(V3 + "/user/{userId}/rooms/{roomId}/account_data/{type}", async (HttpContext http, string userId, string roomId, string type) =>
        {
            var body = await Json.ReadObjectAsync(http.Request);
            lock (s.State.Gate)
            {
                var account = s.AccountOf(s.Authenticate(http));
                if (account.UserId != userId)
                {
                    throw MatrixException.Forbidden("Cannot add account data for other users.");
                }

                if (!s.State.Rooms.ContainsKey(roomId))
                {
                    throw MatrixException.InvalidParam($"{roomId} is not a valid room ID");
                }

                account.RoomAccountData[(roomId, type)] = (body, s.State.Advance());
                return Json.Empty();
            }
        });

        app.MapGet(V3 + "/profile/{userId}", (string userId) =>
        {
            lock (s.State.Gate)
            {
                if (!s.State.Accounts.TryGetValue(userId, out var account))
                {
                    throw MatrixException.NotFound("Profile was not found");
                }

                var profile = new JsonObject();
                if (account.DisplayName is not null)
                {
                    profile["displayname"] = account.DisplayName;
                }

                return Json.Ok(profile);
            }
        });
        app.MapGet(V3 + "/profile/{userId}/displayname", (string userId) =>
        {
            lock (s.State.Gate)
            {
                if (!s.State.Accounts.TryGetValue(userId, out var account))
                {
                    throw MatrixException.NotFound("Profile was not found");
                }

                return Json.Ok(new JsonObject { ["displayname"] = account.DisplayName });
            }
        });
        app.MapPut(V3 + "/profile/{userId}/displayname", async (HttpContext http, string userId) =>
        {
            var body = await Json.ReadObjectAsync(http.Request);
            lock (s.State.Gate)
            {
                var account = s.AccountOf(s.Authenticate(http));
                if (account.UserId != userId)
                {
                    throw MatrixException.Forbidden("Cannot set another user's displayname");
                }

                account.DisplayName = body.OptionalString("displayname");
                // As Synapse does: the new name goes into the account's membership of every room it has joined.
                foreach (var room in s.State.Rooms.Values.Where(r => r.Membership(userId) == "join"))
                {
                    var member = room.StateContent("m.room.member", userId)!.DeepClone().AsObject();
                    member["displayname"] = account.DisplayName;
                    s.State.AppendEvent(room, "m.room.member", userId, member, userId);
                }

                return Json.Empty();
            }
        });

        app.MapPut(V3 + "/presence/{userId}/status", async (HttpContext http, string userId) =>
        {
            var body = await Json.ReadObjectAsync(http.Request);
            var presence = body.RequiredString("presence");
            if (presence is not ("online" or "unavailable" or "offline"))
            {
                throw MatrixException.InvalidParam($"Invalid presence state: '{presence}'");
            }

            lock (s.State.Gate)
            {
                var account = s.AccountOf(s.Authenticate(http));
                if (account.UserId != userId)
                {
                    throw MatrixException.Forbidden("You may only set your own presence state");
                }

                account.Presence = presence;
            }

            return Json.Empty();
        });
        app.MapGet(V3 + "/presence/{userId}/status", (HttpContext http, string userId) =>
        {
            lock (s.State.Gate)
            {
                s.Authenticate(http);
                if (!s.State.Accounts.TryGetValue(userId, out var account))
                {
                    throw MatrixException.NotFound("Unknown user");
                }

                return Json.Ok(new JsonObject { ["presence"] = account.Presence });
            }
        });
        // No TURN server configured: Synapse answers an empty object.
        app.MapGet(V3 + "/voip/turnServer", (HttpContext http) =>
        {
            lock (s.State.Gate)
            {
                s.Authenticate(http);
            }

            return Json.Empty();
        });
    }
}
