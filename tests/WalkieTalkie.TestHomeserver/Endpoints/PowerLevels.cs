using System.Text.Json.Nodes;
using WalkieTalkie.TestHomeserver.Http;
using WalkieTalkie.TestHomeserver.State;

namespace WalkieTalkie.TestHomeserver.Endpoints;

/// <summary>The power-level checks of the room authorization rules that local clients can trip over.</summary>
internal static class PowerLevels
{
    public static long Of(Room room, string userId)
    {
        var levels = room.StateContent("m.room.power_levels");
        if (levels is null)
        {
            return room.StateContent("m.room.create")?["creator"]?.GetValue<string>() == userId ? 100 : 0;
        }

        return Number(levels["users"]?[userId]) ?? Number(levels["users_default"]) ?? 0;
    }

    /// <summary>Throws 403 M_FORBIDDEN unless the user may send an event of this type (state or not).</summary>
    public static void RequireForEvent(Room room, string userId, string type, bool isState)
    {
        var levels = room.StateContent("m.room.power_levels");
        var needed = Number(levels?["events"]?[type])
                     ?? (isState ? Number(levels?["state_default"]) ?? 50 : Number(levels?["events_default"]) ?? 0);
        if (Of(room, userId) < needed)
        {
            throw MatrixException.Forbidden($"You don't have permission to post that to the room. user_level ({Of(room, userId)}) < send_level ({needed})");
        }
    }

    public static void RequireAction(Room room, string userId, string action, long fallback)
    {
        var needed = Number(room.StateContent("m.room.power_levels")?[action]) ?? fallback;
        if (Of(room, userId) < needed)
        {
            throw MatrixException.Forbidden($"You don't have permission to {action} users");
        }
    }

    /// <summary>
    /// The authorization rule for a new <c>m.room.power_levels</c> (spec "Authorization rules", the power levels step):
    /// every level must be an integer; a sender may not add, remove or change a level above its own, may not raise
    /// anything above its own level, and may not change the level of another user whose level is at least its own.
    /// Throws 400 M_BAD_JSON or 403 M_FORBIDDEN.
    /// </summary>
    public static void RequirePowerLevelsChange(Room room, string sender, JsonObject proposed)
    {
        string[] scalars = ["users_default", "events_default", "state_default", "ban", "redact", "kick", "invite"];
        foreach (var key in scalars)
        {
            if (proposed[key] is { } value && !IsInteger(value))
            {
                throw MatrixException.BadJson($"'{key}' must be an integer");
            }
        }

        foreach (var map in new[] { "users", "events", "notifications" })
        {
            if (proposed[map] is null)
            {
                continue;
            }

            if (proposed[map] is not JsonObject entries)
            {
                throw MatrixException.BadJson($"'{map}' must be an object");
            }

            foreach (var (key, value) in entries)
            {
                if (!IsInteger(value))
                {
                    throw MatrixException.BadJson($"'{map}.{key}' must be an integer");
                }
            }
        }

        var current = room.StateContent("m.room.power_levels");
        if (current is null)
        {
            return; // the first power levels of a room are the creator's to set
        }

        var own = Of(room, sender);
        void Check(string what, JsonNode? before, JsonNode? after)
        {
            var (old, @new) = (Number(before), Number(after));
            if (old == @new)
            {
                return;
            }

            if (old > own || @new > own)
            {
                throw MatrixException.Forbidden($"You don't have permission to change {what} beyond your own level ({own})");
            }
        }
        foreach (var key in scalars)
        {
            Check(key, current[key], proposed[key]);
        }

        foreach (var map in new[] { "events", "notifications" })
        {
            foreach (var key in Keys(current[map], proposed[map]))
            {
                Check($"{map}.{key}", current[map]?[key], proposed[map]?[key]);
            }
        }

        foreach (var user in Keys(current["users"], proposed["users"]))
        {
            var (old, @new) = (Number(current["users"]?[user]), Number(proposed["users"]?[user]));
            if (old == @new)
            {
                continue;
            }

            if (user != sender && old >= own)
            {
                throw MatrixException.Forbidden($"You don't have permission to change the level of {user}: it is at least your own");
            }

            if (@new > own)
            {
                throw MatrixException.Forbidden($"You don't have permission to raise {user} above your own level ({own})");
            }
        }
    }

    /// <summary>Room versions 10 and 11 accept only JSON integers as levels (no strings, no fractions).</summary>
    private static bool IsInteger(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number && long.TryParse(v.ToJsonString(), out _);

    private static IEnumerable<string> Keys(JsonNode? a, JsonNode? b) =>
        ((a as JsonObject)?.Select(p => p.Key) ?? []).Union((b as JsonObject)?.Select(p => p.Key) ?? []);

    private static long? Number(JsonNode? node) => Json.AsLong(node);
}
