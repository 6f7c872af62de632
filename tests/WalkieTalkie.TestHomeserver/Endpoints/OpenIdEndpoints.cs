using System.Net;
using System.Text.Json.Nodes;
using WalkieTalkie.TestHomeserver.Http;
using WalkieTalkie.TestHomeserver.State;

namespace WalkieTalkie.TestHomeserver.Endpoints;

/// <summary>
/// OpenID (spec: client-server <c>openid.yaml</c>, server-server <c>openid.yaml</c>), as Synapse serves it: a client asks
/// for a token for its own user (another user: 403), the token is 24 random characters that live 3600 s and name only the
/// user; a third party checks it at the federation userinfo endpoint, which answers <c>{"sub"}</c> or 401
/// <c>M_UNKNOWN_TOKEN</c>. A token may be checked again while it lives.
/// </summary>
internal static class OpenIdEndpoints
{
    public const int LifetimeSeconds = 3600;

    public static void Map(WebApplication app, ServerContext s)
    {
        app.MapPost("/_matrix/client/v3/user/{userId}/openid/request_token", async (HttpContext http, string userId) =>
        {
            await Json.ReadObjectAsync(http.Request);
            lock (s.State.Gate)
            {
                var device = s.Authenticate(http);
                if (device.UserId != userId)
                {
                    throw MatrixException.Forbidden("Cannot request tokens for other users.");
                }

                var token = s.State.NewId(18)[..24];
                s.State.OpenIdTokens[token] = new OpenIdToken(userId, s.State.NowMs + LifetimeSeconds * 1000L);
                return Json.Ok(new JsonObject
                {
                    ["access_token"] = token,
                    ["token_type"] = "Bearer",
                    ["matrix_server_name"] = s.State.ServerName,
                    ["expires_in"] = LifetimeSeconds,
                });
            }
        });

        app.MapGet("/_matrix/federation/v1/openid/userinfo", (HttpContext http) =>
        {
            var token = http.Request.Query["access_token"].ToString();
            lock (s.State.Gate)
            {
                if (token.Length == 0 || !s.State.OpenIdTokens.TryGetValue(token, out var known) || known.ExpiresAtMs <= s.State.NowMs)
                {
                    throw new MatrixException(HttpStatusCode.Unauthorized, "M_UNKNOWN_TOKEN", "Access Token unknown or expired");
                }

                return Json.Ok(new JsonObject { ["sub"] = known.UserId });
            }
        });
    }
}
