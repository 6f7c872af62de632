using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace WalkieTalkie.Matrix.Client.Sync;

/// <summary>The parts of a <c>/sync</c> answer the gateway uses. Absent sections read as empty.</summary>
public sealed record SyncResponse
{
    [JsonPropertyName("next_batch")] public required string NextBatch { get; init; }
    [JsonPropertyName("rooms")] public SyncRooms? Rooms { get; init; }
    [JsonPropertyName("to_device")] public EventList<ToDeviceEvent>? ToDevice { get; init; }
    [JsonPropertyName("device_lists")] public DeviceLists? DeviceLists { get; init; }

    /// <summary>Unclaimed one-time keys per algorithm; a missing algorithm means 0.</summary>
    [JsonPropertyName("device_one_time_keys_count")] public Dictionary<string, int>? OneTimeKeysCount { get; init; }

    /// <summary>Fallback key algorithms not used yet. Null when the server does not report it at all (then
    /// nothing can be concluded), empty when the fallback key was used.</summary>
    [JsonPropertyName("device_unused_fallback_key_types")] public List<string>? UnusedFallbackKeyTypes { get; init; }

    [JsonPropertyName("account_data")] public EventList<ClientEvent>? AccountData { get; init; }

    [JsonIgnore] public IReadOnlyList<ToDeviceEvent> ToDeviceEvents => ToDevice?.Events ?? [];
}

/// <summary>A <c>{"events":[…]}</c> wrapper.</summary>
public sealed record EventList<T>([property: JsonPropertyName("events")] List<T>? Events)
{
    [JsonIgnore] public IReadOnlyList<T> Items => Events ?? [];
}

public sealed record SyncRooms(
    [property: JsonPropertyName("join")] Dictionary<string, JoinedRoomSync>? Join,
    [property: JsonPropertyName("invite")] Dictionary<string, InvitedRoomSync>? Invite,
    [property: JsonPropertyName("leave")] Dictionary<string, LeftRoomSync>? Leave);

public sealed record JoinedRoomSync(
    [property: JsonPropertyName("state")] EventList<ClientEvent>? State,
    [property: JsonPropertyName("timeline")] Timeline? Timeline,
    [property: JsonPropertyName("ephemeral")] EventList<JsonObject>? Ephemeral,
    [property: JsonPropertyName("account_data")] EventList<ClientEvent>? AccountData);

public sealed record InvitedRoomSync(
    [property: JsonPropertyName("invite_state")] EventList<ClientEvent>? InviteState);

public sealed record LeftRoomSync(
    [property: JsonPropertyName("state")] EventList<ClientEvent>? State,
    [property: JsonPropertyName("timeline")] Timeline? Timeline);

public sealed record Timeline(
    [property: JsonPropertyName("events")] List<ClientEvent>? Events,
    [property: JsonPropertyName("limited")] bool Limited = false,
    [property: JsonPropertyName("prev_batch")] string? PrevBatch = null)
{
    [JsonIgnore] public IReadOnlyList<ClientEvent> Items => Events ?? [];
}

/// <summary>Users whose device lists changed (query their keys again) or who no longer share a room (stop tracking).</summary>
public sealed record DeviceLists(
    [property: JsonPropertyName("changed")] List<string>? Changed,
    [property: JsonPropertyName("left")] List<string>? Left);
