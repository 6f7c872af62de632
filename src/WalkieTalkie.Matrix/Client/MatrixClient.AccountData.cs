using System.Net;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Client.Http;

namespace WalkieTalkie.Matrix.Client;

public sealed partial class MatrixClient
{
    /// <summary><c>GET /user/{userId}/account_data/{type}</c> of this session's user, or null when none is set.</summary>
    public async Task<JsonObject?> GetAccountDataAsync(string type, CancellationToken cancellationToken = default)
    {
        try
        {
            return await Http.SendJsonAsync<JsonObject>(HttpMethod.Get, $"{V3}/user/{Seg(UserId)}/account_data/{Seg(type)}", null,
                RetryMode.Idempotent, cancellationToken).ConfigureAwait(false);
        }
        catch (MatrixException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary><c>PUT /user/{userId}/account_data/{type}</c> of this session's user: replaces the whole content.</summary>
    public Task SetAccountDataAsync(string type, JsonObject content, CancellationToken cancellationToken = default) =>
        Http.SendJsonAsync<JsonObject>(HttpMethod.Put, $"{V3}/user/{Seg(UserId)}/account_data/{Seg(type)}", content,
            RetryMode.Idempotent, cancellationToken);
}
