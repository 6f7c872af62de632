using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace WalkieTalkie.Gateway.Web.MatrixAuth;

/// <summary>
/// Checks an OpenID token a Matrix client gave the page, at the user's homeserver: <c>GET
/// /_matrix/federation/v1/openid/userinfo?access_token=…</c> answers <c>{"sub": "@user:server"}</c> for a valid token and
/// 401 otherwise. The token proves the user only (not the device, not the room). Only servers listed in
/// <see cref="WebOptions.MatrixServers"/> are asked, and the user must belong to the server asked: a client cannot name
/// one server and bring another's token.
/// </summary>
public sealed class OpenIdVerifier(HttpClient http, IOptions<WebOptions> options)
{
    public async Task<OpenIdResult> VerifyAsync(string? accessToken, string? serverName, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(accessToken) || accessToken.Length > 1024 || string.IsNullOrEmpty(serverName) || serverName.Length > 255)
        {
            return OpenIdResult.Refused("no token or server name");
        }

        if (!options.Value.MatrixServers.TryGetValue(serverName, out var configured))
        {
            return OpenIdResult.Refused("server not allowed here");
        }

        try
        {
            var baseUrl = string.IsNullOrEmpty(configured) ? await ResolveAsync(serverName, cancellationToken) : configured.TrimEnd('/');
            using var response = await http.GetAsync(
                $"{baseUrl}/_matrix/federation/v1/openid/userinfo?access_token={Uri.EscapeDataString(accessToken)}", cancellationToken);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
            {
                return OpenIdResult.Refused("the homeserver does not know the token (forged or expired)");
            }

            if (!response.IsSuccessStatusCode)
            {
                return OpenIdResult.Unavailable($"the homeserver answered {(int)response.StatusCode}");
            }

            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var sub = body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("sub", out var s)
                && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (sub is null || !IsUserOf(sub, serverName))
            {
                return OpenIdResult.Refused("the homeserver named a user of another server");
            }

            return OpenIdResult.Verified(sub);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException or UriFormatException)
        {
            return OpenIdResult.Unavailable("the homeserver could not be asked: " + e.GetType().Name);
        }
    }

    /// <summary>A user id (<c>@local:server</c>) whose server part is exactly <paramref name="serverName"/>.</summary>
    public static bool IsUserOf(string userId, string serverName)
    {
        var colon = userId.IndexOf(':');
        return userId.Length <= 255 && userId.StartsWith('@') && colon > 1 && userId[(colon + 1)..] == serverName
            && userId.AsSpan(1, colon - 1).IndexOfAny(['/', ' ', '\n', '\r', '\t']) < 0;
    }

    // Server name resolution as federation does it, for the common cases: /.well-known/matrix/server, else port 8448.
    private async Task<string> ResolveAsync(string serverName, CancellationToken cancellationToken)
    {
        var hasPort = serverName.LastIndexOf(':') > serverName.LastIndexOf(']');
        if (!hasPort)
        {
            try
            {
                using var response = await http.GetAsync($"https://{serverName}/.well-known/matrix/server", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                    if (body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("m.server", out var server)
                        && server.GetString() is { Length: > 0 } delegated)
                    {
                        return "https://" + (delegated.LastIndexOf(':') > delegated.LastIndexOf(']') ? delegated : delegated + ":8448");
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException)
            {
            }
        }

        return "https://" + (hasPort ? serverName : serverName + ":8448");
    }
}
