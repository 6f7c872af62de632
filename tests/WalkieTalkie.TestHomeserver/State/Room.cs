using System.Text.Json.Nodes;

namespace WalkieTalkie.TestHomeserver.State;

/// <summary>A room: every event in stream order and the current state.</summary>
internal sealed class Room(string roomId)
{
    public string RoomId { get; } = roomId;
    public List<StoredEvent> Events { get; } = new();
    public Dictionary<(string Type, string StateKey), StoredEvent> State { get; } = new();

    /// <summary>The current receipts (<c>m.read</c>, <c>m.read.private</c>), one per (user, type, thread).</summary>
    public List<Receipt> Receipts { get; } = new();

    public string Membership(string userId) =>
        State.TryGetValue(("m.room.member", userId), out var e)
            ? e.Event["content"]?["membership"]?.GetValue<string>() ?? "leave"
            : "leave";

    public StoredEvent? MemberEvent(string userId) => State.GetValueOrDefault(("m.room.member", userId));

    public IEnumerable<string> MembersWith(string membership) =>
        State.Where(s => s.Key.Type == "m.room.member" && Membership(s.Key.StateKey) == membership).Select(s => s.Key.StateKey);

    public JsonObject? StateContent(string type, string stateKey = "") =>
        State.TryGetValue((type, stateKey), out var e) ? e.Event["content"] as JsonObject : null;

    /// <summary>The state as it was just before stream position <paramref name="position"/>.</summary>
    public Dictionary<(string Type, string StateKey), StoredEvent> StateBefore(long position)
    {
        var state = new Dictionary<(string, string), StoredEvent>();
        foreach (var e in Events)
        {
            if (e.Position >= position)
            {
                break;
            }

            if (e.StateKey is { } key)
            {
                state[(e.Type, key)] = e;
            }
        }
        return state;
    }
}

/// <summary>A room event as stored. <see cref="Event"/> is the client-format event without <c>unsigned.age</c>
/// and <c>transaction_id</c>, which are added per response.</summary>
internal sealed record StoredEvent(long Position, JsonObject Event, string? SenderDeviceId, string? TransactionId)
{
    public string EventId => Event["event_id"]!.GetValue<string>();
    public string Type => Event["type"]!.GetValue<string>();
    public string Sender => Event["sender"]!.GetValue<string>();
    public string? StateKey => Event["state_key"]?.GetValue<string>();
}
