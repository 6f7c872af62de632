using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Presence;

namespace WalkieTalkie.Matrix.Client;

public sealed partial class MatrixClient
{
    /// <summary><c>PUT /presence/{userId}/status</c> for this session's user. Setting the same state again is harmless.</summary>
    public Task SetPresenceAsync(PresenceState state, CancellationToken cancellationToken = default) =>
        Http.SendJsonAsync<JsonObject>(HttpMethod.Put, $"{V3}/presence/{Seg(UserId)}/status",
            new JsonObject { ["presence"] = PresenceStates.Name(state) }, RetryMode.Idempotent, cancellationToken);

    /// <summary><c>GET /presence/{userId}/status</c>: the user's presence, or null when the server names a state the spec does not have.</summary>
    public async Task<PresenceState?> GetPresenceAsync(string userId, CancellationToken cancellationToken = default)
    {
        var response = await Http.SendJsonAsync<JsonObject>(HttpMethod.Get, $"{V3}/presence/{Seg(userId)}/status", null,
            RetryMode.Idempotent, cancellationToken).ConfigureAwait(false);
        return PresenceStates.Parse(response["presence"] is JsonValue value && value.TryGetValue<string>(out var name) ? name : null);
    }
}
