using System.Net.Http.Json;

namespace WalkieTalkie.WebWalkie.Api;

/// <summary>
/// The few Client-Server API calls the standalone page makes as a Matrix device of its own: the login flows, password
/// and token (SSO) login, an OpenID token to prove its user to the gateway, its own MSC4002 accept, logout.
/// </summary>
public sealed class MatrixApi(HttpClient http)
{
    public const string AcceptType = "org.matrix.msc4002.accept";

    public Uri? Homeserver { get; set; }

    public string? AccessToken { get; set; }

    public string? UserId { get; set; }

    public string? DeviceId { get; set; }

    public async Task<string[]> LoginFlowsAsync()
    {
        var flows = await http.GetFromJsonAsync(Url("_matrix/client/v3/login"), WalkieJson.Default.MatrixLoginFlows);
        return flows?.Flows.Select(f => f.Type).ToArray() ?? [];
    }

    public string SsoRedirectUrl(string returnTo) => Url("_matrix/client/v3/login/sso/redirect") + "?redirectUrl=" + Uri.EscapeDataString(returnTo);

    public Task<string?> PasswordLoginAsync(string user, string password) =>
        LoginAsync(JsonContent.Create(new MatrixPasswordLogin("m.login.password", new MatrixIdentifier("m.id.user", user), password, "Walkie (web)"),
            WalkieJson.Default.MatrixPasswordLogin));

    public Task<string?> TokenLoginAsync(string token) =>
        LoginAsync(JsonContent.Create(new MatrixTokenLogin("m.login.token", token, "Walkie (web)"), WalkieJson.Default.MatrixTokenLogin));

    private async Task<string?> LoginAsync(HttpContent body)
    {
        using var response = await http.PostAsync(Url("_matrix/client/v3/login"), body);
        if (!response.IsSuccessStatusCode)
        {
            return response.StatusCode == System.Net.HttpStatusCode.TooManyRequests ? "Too many attempts; wait a little." : "Wrong user name or password.";
        }

        var login = await response.Content.ReadFromJsonAsync(WalkieJson.Default.MatrixLoginResponse);
        AccessToken = login!.AccessToken;
        UserId = login.UserId;
        DeviceId = login.DeviceId;
        return null;
    }

    public async Task<OpenIdToken?> OpenIdTokenAsync()
    {
        using var request = Authorized(HttpMethod.Post, $"_matrix/client/v3/user/{Uri.EscapeDataString(UserId!)}/openid/request_token");
        request.Content = JsonContent.Create(new MatrixEmpty(), WalkieJson.Default.MatrixEmpty);
        using var response = await http.SendAsync(request);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync(WalkieJson.Default.OpenIdToken) : null;
    }

    /// <summary>This device's own consent (or its withdrawal) in a room: <c>org.matrix.msc4002.accept</c> at <c>device/{user}/{device}</c>.</summary>
    public async Task<bool> SendAcceptAsync(string roomId, bool receive)
    {
        var key = $"device/{UserId}/{DeviceId}";
        using var request = Authorized(HttpMethod.Put,
            $"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/state/{AcceptType}/{Uri.EscapeDataString(key)}");
        request.Content = JsonContent.Create(new MatrixAccept(UserId!, DeviceId!, receive), WalkieJson.Default.MatrixAccept);
        using var response = await http.SendAsync(request);
        return response.IsSuccessStatusCode;
    }

    public async Task LogoutAsync()
    {
        if (AccessToken is null)
        {
            return;
        }

        using var request = Authorized(HttpMethod.Post, "_matrix/client/v3/logout");
        request.Content = JsonContent.Create(new MatrixEmpty(), WalkieJson.Default.MatrixEmpty);
        try
        {
            using var _ = await http.SendAsync(request);
        }
        catch (HttpRequestException)
        {
        }

        AccessToken = null;
        UserId = null;
        DeviceId = null;
    }

    private HttpRequestMessage Authorized(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, Url(path));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AccessToken);
        return request;
    }

    private string Url(string path) => new Uri(Homeserver!, path).ToString();
}
