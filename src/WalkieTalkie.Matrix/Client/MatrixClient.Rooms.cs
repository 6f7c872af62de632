using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Rooms;
using WalkieTalkie.Matrix.Client.Sync;

namespace WalkieTalkie.Matrix.Client;

public sealed partial class MatrixClient
{
    /// <summary>Joins by room id or alias (<c>via</c> names servers that can help with a remote room).
    /// Returns the room id.</summary>
    public async Task<string> JoinRoomAsync(string roomIdOrAlias, IEnumerable<string>? via = null,
        CancellationToken cancellationToken = default)
    {
        var query = string.Join('&', (via ?? []).Select(s => "via=" + Uri.EscapeDataString(s)));
        var path = $"{V3}/join/{Seg(roomIdOrAlias)}" + (query.Length > 0 ? "?" + query : "");
        // Joining twice is harmless, so retrying is safe.
        var response = await Http.SendJsonAsync<RoomIdResponse>(HttpMethod.Post, path, new JsonObject(),
            RetryMode.Idempotent, cancellationToken).ConfigureAwait(false);
        return response.RoomId;
    }

    /// <summary><c>POST /createRoom</c> with a body as the spec defines it. Returns the room id.</summary>
    public async Task<string> CreateRoomAsync(JsonObject body, CancellationToken cancellationToken = default)
    {
        var response = await Http.SendJsonAsync<RoomIdResponse>(HttpMethod.Post, V3 + "/createRoom", body,
            RetryMode.WhenNotProcessed, cancellationToken).ConfigureAwait(false);
        return response.RoomId;
    }

    /// <summary><c>POST /rooms/{roomId}/invite</c>.</summary>
    public Task InviteAsync(string roomId, string userId, CancellationToken cancellationToken = default) =>
        Http.SendJsonAsync<JsonObject>(HttpMethod.Post, $"{V3}/rooms/{Seg(roomId)}/invite",
            new JsonObject { ["user_id"] = userId }, RetryMode.Idempotent, cancellationToken);

    /// <summary><c>POST /rooms/{roomId}/leave</c>.</summary>
    public Task LeaveRoomAsync(string roomId, CancellationToken cancellationToken = default) =>
        Http.SendJsonAsync<JsonObject>(HttpMethod.Post, $"{V3}/rooms/{Seg(roomId)}/leave", new JsonObject(),
            RetryMode.Idempotent, cancellationToken);

    /// <summary><c>GET /joined_rooms</c>.</summary>
    public async Task<IReadOnlyList<string>> GetJoinedRoomsAsync(CancellationToken cancellationToken = default) =>
        (await Http.SendJsonAsync<JoinedRoomsResponse>(HttpMethod.Get, V3 + "/joined_rooms", null, RetryMode.Idempotent,
            cancellationToken).ConfigureAwait(false)).JoinedRooms;

    /// <summary><c>GET /rooms/{roomId}/state</c>: every current state event.</summary>
    public async Task<IReadOnlyList<ClientEvent>> GetRoomStateAsync(string roomId, CancellationToken cancellationToken = default) =>
        await Http.SendJsonAsync<List<ClientEvent>>(HttpMethod.Get, $"{V3}/rooms/{Seg(roomId)}/state", null,
            RetryMode.Idempotent, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// <c>PUT /rooms/{roomId}/send/{eventType}/{txnId}</c>. Keep <paramref name="transactionId"/> with the event
    /// until it is sent: the server answers a repeated transaction id with the first event's id instead of
    /// creating a second event, which is what makes retries here (429, 5xx, network) safe.
    /// </summary>
    public async Task<string> SendRoomEventAsync(string roomId, string eventType, JsonObject content, string transactionId,
        CancellationToken cancellationToken = default, RetryPolicy? retry = null)
    {
        var path = $"{V3}/rooms/{Seg(roomId)}/send/{Seg(eventType)}/{Seg(transactionId)}";
        var response = await Http.SendJsonAsync<EventIdResponse>(HttpMethod.Put, path, content, RetryMode.Idempotent,
            cancellationToken, policy: retry).ConfigureAwait(false);
        return response.EventId;
    }

    /// <summary><c>PUT /rooms/{roomId}/state/{eventType}/{stateKey}</c>. Setting the same state twice is harmless.</summary>
    public async Task<string> SendStateEventAsync(string roomId, string eventType, JsonObject content, string stateKey = "",
        CancellationToken cancellationToken = default)
    {
        var path = $"{V3}/rooms/{Seg(roomId)}/state/{Seg(eventType)}/{Seg(stateKey)}";
        var response = await Http.SendJsonAsync<EventIdResponse>(HttpMethod.Put, path, content, RetryMode.Idempotent,
            cancellationToken).ConfigureAwait(false);
        return response.EventId;
    }

    /// <summary><c>POST /rooms/{roomId}/receipt/m.read/{eventId}</c>.</summary>
    public Task SendReadReceiptAsync(string roomId, string eventId, CancellationToken cancellationToken = default) =>
        Http.SendJsonAsync<JsonObject>(HttpMethod.Post, $"{V3}/rooms/{Seg(roomId)}/receipt/m.read/{Seg(eventId)}",
            new JsonObject(), RetryMode.Idempotent, cancellationToken);

    /// <summary>
    /// <c>PUT /sendToDevice/{eventType}/{txnId}</c> with <c>{"messages":{user:{device:content}}}</c> (the crypto
    /// machine builds the messages). The transaction id makes retries safe.
    /// </summary>
    public Task SendToDeviceAsync(string eventType, JsonObject messages, string transactionId,
        CancellationToken cancellationToken = default) =>
        Http.SendJsonAsync<JsonObject>(HttpMethod.Put, $"{V3}/sendToDevice/{Seg(eventType)}/{Seg(transactionId)}",
            new JsonObject { ["messages"] = messages.DeepClone() }, RetryMode.Idempotent, cancellationToken);
}
