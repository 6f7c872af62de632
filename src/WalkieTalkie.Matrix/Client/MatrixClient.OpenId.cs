using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Client.Http;

namespace WalkieTalkie.Matrix.Client;

public sealed partial class MatrixClient
{
    /// <summary>
    /// <c>POST /user/{userId}/openid/request_token</c> for this session's user: a token a third party checks at the
    /// homeserver's federation <c>openid/userinfo</c>, which names the user and nothing else. Returns the token and the
    /// server name to check it at.
    /// </summary>
    /// <exception cref="MatrixException">The homeserver refused or answered without a token.</exception>
    public async Task<(string AccessToken, string ServerName)> RequestOpenIdTokenAsync(CancellationToken cancellationToken = default)
    {
        var response = await Http.SendJsonAsync<JsonObject>(HttpMethod.Post, $"{V3}/user/{Seg(UserId)}/openid/request_token", new JsonObject(),
            RetryMode.WhenNotProcessed, cancellationToken).ConfigureAwait(false);
        var token = response["access_token"] is JsonValue t && t.TryGetValue<string>(out var a) ? a : null;
        var server = response["matrix_server_name"] is JsonValue s && s.TryGetValue<string>(out var n) ? n : null;
        if (string.IsNullOrEmpty(token) || string.IsNullOrEmpty(server))
        {
            throw new MatrixException(System.Net.HttpStatusCode.OK, MatrixErrorCode.Unknown, "the homeserver answered an OpenID request without a token");
        }

        return (token, server);
    }
}
