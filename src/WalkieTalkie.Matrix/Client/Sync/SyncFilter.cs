using System.Text.Json.Nodes;

namespace WalkieTalkie.Matrix.Client.Sync;

/// <summary>The filter the gateway syncs with, sent inline as the <c>filter</c> parameter.</summary>
public static class SyncFilter
{
    /// <summary>
    /// Timeline, state, to-device, device lists and key counts (the last three are not filterable: always sent).
    /// Members are not lazy-loaded: Megolm keys must go to every member's devices, so the full member list is needed.
    /// Presence is dropped: the gateway has no use for it and it is the bulk of a busy sync.
    /// </summary>
    public static JsonObject Default(int timelineLimit = 50) => new()
    {
        ["presence"] = new JsonObject { ["not_types"] = new JsonArray("*") },
        ["room"] = new JsonObject
        {
            ["state"] = new JsonObject { ["lazy_load_members"] = false },
            ["timeline"] = new JsonObject { ["limit"] = timelineLimit, ["lazy_load_members"] = false },
            ["ephemeral"] = new JsonObject { ["not_types"] = new JsonArray("m.typing") },
        },
    };
}
