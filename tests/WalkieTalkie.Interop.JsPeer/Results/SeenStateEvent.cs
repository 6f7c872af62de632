using System.Text.Json.Nodes;

namespace WalkieTalkie.Interop;

/// <summary>A state event in the room's current state, as js-sdk holds it.</summary>
/// <param name="Type">The event type.</param>
/// <param name="StateKey">The state key.</param>
/// <param name="Sender">Who sent it.</param>
/// <param name="EventId">Its id.</param>
/// <param name="Ts">Its origin_server_ts.</param>
/// <param name="Content">Its content.</param>
public sealed record SeenStateEvent(string Type, string StateKey, string Sender, string EventId, long Ts, JsonObject Content);
