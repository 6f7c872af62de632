using System.Text.Json.Nodes;

namespace WalkieTalkie.Interop;

// Room state: sending state events and reading the room's current state.
public sealed partial class JsPeer
{
    /// <summary>Sends a state event from the peer's user; returns its event id (a refusal throws <see cref="JsPeerException"/>).</summary>
    public async Task<string> SendStateAsync(string roomId, string type, JsonObject content, string stateKey = "",
        CancellationToken cancellationToken = default) =>
        (await SendAsync("sendState", new { roomId, type, stateKey, content }, cancellationToken: cancellationToken)).Str("eventId");

    /// <summary>The room's current state as the peer's client holds it (from sync), optionally of one type.</summary>
    public async Task<IReadOnlyList<SeenStateEvent>> RoomStateAsync(string roomId, string? type = null, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync("roomState", new { roomId, type }, cancellationToken: cancellationToken);
        return (r["events"] as JsonArray ?? []).OfType<JsonObject>().Select(State).ToList();
    }

    /// <summary>Waits until the room's state holds an event of the type (and state key and sender, when given).</summary>
    public async Task<SeenStateEvent> WaitForStateAsync(string roomId, string type, string? stateKey = null, string? sender = null,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        State(await SendAsync("waitForState", new { roomId, type, stateKey, sender, timeoutMs = Ms(timeout) },
            timeout: timeout is null ? null : timeout + TimeSpan.FromSeconds(10), cancellationToken: cancellationToken));

    private static SeenStateEvent State(JsonObject e) =>
        new(e.Str("type"), e.Str("stateKey"), e.Str("sender"), e.Str("eventId"), e.Long("ts"), e["content"] as JsonObject ?? new JsonObject());
}
