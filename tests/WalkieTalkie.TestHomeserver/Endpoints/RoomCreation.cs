using System.Text.Json.Nodes;
using WalkieTalkie.TestHomeserver.Http;
using WalkieTalkie.TestHomeserver.State;

namespace WalkieTalkie.TestHomeserver.Endpoints;

/// <summary><c>POST /createRoom</c> with the events Synapse creates, in its order, for each preset.</summary>
internal static class RoomCreation
{
    public static string Create(ServerContext s, Device creator, JsonObject body)
    {
        var state = s.State;
        s.Limit(s.Switches.Message, "rc_message", creator.UserId, 0.2, 10);
        var roomVersion = body.OptionalString("room_version") ?? "10";
        if (roomVersion is not ("10" or "11"))
        {
            throw new MatrixException(System.Net.HttpStatusCode.BadRequest, "M_UNSUPPORTED_ROOM_VERSION", "Your homeserver does not support this room version");
        }

        var preset = body.OptionalString("preset")
                     ?? (body.OptionalString("visibility") == "public" ? "public_chat" : "private_chat");
        if (preset is not ("private_chat" or "public_chat" or "trusted_private_chat"))
        {
            throw MatrixException.InvalidParam($"Unknown preset {preset}");
        }

        string? alias = null;
        if (body.OptionalString("room_alias_name") is { } aliasName)
        {
            alias = $"#{aliasName}:{state.ServerName}";
            if (state.Aliases.ContainsKey(alias))
            {
                throw new MatrixException(System.Net.HttpStatusCode.BadRequest, "M_ROOM_IN_USE", "Room alias already taken");
            }
        }
        var invites = body.OptionalArray("invite")?.Select(u => u!.GetValue<string>()).ToList() ?? [];

        var room = new Room($"!{state.NewId(18)}:{state.ServerName}");
        state.Rooms[room.RoomId] = room;
        void Send(string type, JsonObject content, string stateKey = "") =>
            state.AppendEvent(room, type, creator.UserId, content, stateKey, creator.DeviceId);

        var create = body.OptionalObject("creation_content")?.DeepClone() as JsonObject ?? new JsonObject();
        create["room_version"] = roomVersion;
        if (roomVersion == "10")
        {
            create["creator"] = creator.UserId;
        }

        Send("m.room.create", create);

        var member = new JsonObject { ["membership"] = "join" };
        if (state.Accounts[creator.UserId].DisplayName is { } name)
        {
            member["displayname"] = name;
        }

        Send("m.room.member", member, creator.UserId);

        var users = new JsonObject { [creator.UserId] = 100 };
        if (preset == "trusted_private_chat")
        {
            foreach (var invitee in invites)
            {
                users[invitee] = 100;
            }
        }

        var powerLevels = new JsonObject
        {
            ["users"] = users,
            ["users_default"] = 0,
            ["events"] = new JsonObject
            {
                ["m.room.name"] = 50, ["m.room.power_levels"] = 100, ["m.room.history_visibility"] = 100,
                ["m.room.canonical_alias"] = 50, ["m.room.avatar"] = 50, ["m.room.tombstone"] = 100,
                ["m.room.server_acl"] = 100, ["m.room.encryption"] = 100,
            },
            ["events_default"] = 0,
            ["state_default"] = 50,
            ["ban"] = 50,
            ["kick"] = 50,
            ["redact"] = 50,
            ["invite"] = preset == "public_chat" ? 50 : 0,
            ["historical"] = 100,
        };
        if (body.OptionalObject("power_level_content_override") is { } overrides)
        {
            foreach (var (key, value) in overrides)
            {
                powerLevels[key] = value?.DeepClone();
            }
        }

        Send("m.room.power_levels", powerLevels);

        if (alias is not null)
        {
            state.Aliases[alias] = room.RoomId;
            Send("m.room.canonical_alias", new JsonObject { ["alias"] = alias });
        }
        Send("m.room.join_rules", new JsonObject { ["join_rule"] = preset == "public_chat" ? "public" : "invite" });
        Send("m.room.history_visibility", new JsonObject { ["history_visibility"] = "shared" });
        if (preset != "public_chat")
        {
            Send("m.room.guest_access", new JsonObject { ["guest_access"] = "can_join" });
        }

        foreach (var initial in body.OptionalArray("initial_state") ?? [])
        {
            if (initial is not JsonObject ev)
            {
                throw MatrixException.BadJson("initial_state entries must be objects");
            }

            Send(ev.RequiredString("type"), ev.OptionalObject("content")?.DeepClone() as JsonObject ?? new JsonObject(),
                ev.OptionalString("state_key") ?? "");
        }
        if (body.OptionalString("name") is { } roomName)
        {
            Send("m.room.name", new JsonObject { ["name"] = roomName });
        }

        if (body.OptionalString("topic") is { } topic)
        {
            Send("m.room.topic", new JsonObject { ["topic"] = topic });
        }

        var isDirect = body.OptionalBool("is_direct", false);
        foreach (var invitee in invites)
        {
            var content = new JsonObject { ["membership"] = "invite" };
            if (isDirect)
            {
                content["is_direct"] = true;
            }

            Send("m.room.member", content, invitee);
        }
        return room.RoomId;
    }
}
