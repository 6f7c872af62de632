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
        if (levels is null) return room.StateContent("m.room.create")?["creator"]?.GetValue<string>() == userId ? 100 : 0;
        return Number(levels["users"]?[userId]) ?? Number(levels["users_default"]) ?? 0;
    }

    /// <summary>Throws 403 M_FORBIDDEN unless the user may send an event of this type (state or not).</summary>
    public static void RequireForEvent(Room room, string userId, string type, bool isState)
    {
        var levels = room.StateContent("m.room.power_levels");
        var needed = Number(levels?["events"]?[type])
                     ?? (isState ? Number(levels?["state_default"]) ?? 50 : Number(levels?["events_default"]) ?? 0);
        if (Of(room, userId) < needed)
            throw MatrixException.Forbidden($"You don't have permission to post that to the room. user_level ({Of(room, userId)}) < send_level ({needed})");
    }

    public static void RequireAction(Room room, string userId, string action, long fallback)
    {
        var needed = Number(room.StateContent("m.room.power_levels")?[action]) ?? fallback;
        if (Of(room, userId) < needed) throw MatrixException.Forbidden($"You don't have permission to {action} users");
    }

    private static long? Number(JsonNode? node) => Json.AsLong(node);
}
