using System.Net;
using System.Net.Http.Json;

namespace WalkieTalkie.WebWalkie.Api;

/// <summary>
/// The gateway's web API as the page uses it. A local account's session is the gateway's cookie (sent by the browser,
/// with the antiforgery token on every POST); a Matrix device's is a bearer token the page holds.
/// </summary>
public sealed class GatewayApi(HttpClient http)
{
    private string? _antiforgery;
    private string? _antiforgeryHeader;

    /// <summary>The Matrix session (bearer token), or null for a local account's cookie.</summary>
    public string? Bearer { get; set; }

    public Uri BaseAddress => http.BaseAddress!;

    public async Task<MeResponse?> MeAsync() => await GetAsync("/walkie/v1/me", WalkieJson.Default.MeResponse);

    /// <summary>The Matrix rooms this gateway's channels are linked to (what a Matrix device can sign in to).</summary>
    public async Task<string[]> RoomsAsync() => (await http.GetFromJsonAsync("/walkie/v1/rooms", WalkieJson.Default.RoomsResponse))?.Rooms ?? [];

    public async Task<LiveResponse?> LiveAsync() => await GetAsync("/walkie/v1/live", WalkieJson.Default.LiveResponse);

    public async Task<BurstsResponse?> BurstsAsync() => await GetAsync("/walkie/v1/bursts", WalkieJson.Default.BurstsResponse);

    /// <summary>The WebSocket's URL with a fresh ticket, or null when the session is gone.</summary>
    public async Task<string?> SocketUrlAsync()
    {
        using var response = await PostAsync("/walkie/v1/ticket", null);
        if (!response.IsSuccessStatusCode)
        {
            SessionLost = response.StatusCode == HttpStatusCode.Unauthorized;
            return null;
        }

        var ticket = await response.Content.ReadFromJsonAsync(WalkieJson.Default.TicketResponse);
        var builder = new UriBuilder(new Uri(http.BaseAddress!, "/walkie/v1/socket"))
        {
            Scheme = http.BaseAddress!.Scheme == "https" ? "wss" : "ws",
            Query = "ticket=" + Uri.EscapeDataString(ticket!.Ticket),
        };
        return builder.Uri.ToString();
    }

    /// <summary>True once the gateway answered 401: the page must sign in again.</summary>
    public bool SessionLost { get; private set; }

    public async Task<string?> LoginAsync(string name, string password)
    {
        using var response = await PostAsync("/web/v1/login", JsonContent.Create(new LoginRequest(name, password), WalkieJson.Default.LoginRequest));
        // The antiforgery token is bound to the user: a new one after signing in or out.
        _antiforgery = null;
        if (response.IsSuccessStatusCode)
        {
            SessionLost = false;
            return null;
        }

        return response.StatusCode == HttpStatusCode.TooManyRequests ? "Too many attempts; wait a minute."
            : (await ReadErrorAsync(response)) ?? "Sign-in failed.";
    }

    public async Task LogoutAsync()
    {
        if (Bearer is not null)
        {
            using var _ = await PostAsync("/walkie/v1/matrix/logout", null);
            Bearer = null;
        }
        else
        {
            using var _ = await PostAsync("/web/v1/logout", null);
        }

        _antiforgery = null;
    }

    public async Task<(MatrixSessionResponse? Session, string? Error)> MatrixSessionAsync(OpenIdToken token, string deviceId, string roomId)
    {
        using var response = await PostAsync("/walkie/v1/matrix/session",
            JsonContent.Create(new MatrixSessionRequest(token.AccessToken, token.MatrixServerName, deviceId, roomId), WalkieJson.Default.MatrixSessionRequest));
        if (!response.IsSuccessStatusCode)
        {
            return (null, await ReadErrorAsync(response) ?? $"The gateway refused ({(int)response.StatusCode}).");
        }

        var session = await response.Content.ReadFromJsonAsync(WalkieJson.Default.MatrixSessionResponse);
        Bearer = session!.Session;
        SessionLost = false;
        return (session, null);
    }

    internal async Task<T?> GetAsync<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        Authorize(request);
        using var response = await http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            SessionLost = true;
            return default;
        }

        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync(type) : default;
    }

    private Task<HttpResponseMessage> PostAsync(string path, HttpContent? content) => SendAsync(HttpMethod.Post, path, content);

    /// <summary>A change: the session, and for a cookie session the antiforgery token.</summary>
    internal async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, path) { Content = content ?? new StringContent("") };
        Authorize(request);
        if (Bearer is null)
        {
            if (_antiforgery is null)
            {
                var tokens = await http.GetFromJsonAsync("/web/v1/antiforgery", WalkieJson.Default.AntiforgeryResponse);
                _antiforgery = tokens!.Token;
                _antiforgeryHeader = tokens.Header;
            }

            request.Headers.Add(_antiforgeryHeader!, _antiforgery);
        }

        return await http.SendAsync(request);
    }

    private void Authorize(HttpRequestMessage request)
    {
        if (Bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Bearer);
        }
    }

    internal static async Task<string?> ReadErrorAsync(HttpResponseMessage response)
    {
        try
        {
            return (await response.Content.ReadFromJsonAsync(WalkieJson.Default.ErrorResponse))?.Error;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
