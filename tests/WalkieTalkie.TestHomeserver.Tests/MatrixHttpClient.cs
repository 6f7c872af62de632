using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace WalkieTalkie.TestHomeserver.Tests;

/// <summary>Plain HTTP against the fixture, so the tests see exactly what a client sees.</summary>
internal sealed class MatrixHttpClient(Uri baseUrl, string? accessToken = null) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(40) };

    public string? AccessToken { get; set; } = accessToken;

    public static MatrixHttpClient For(TestHomeserver hs, TestSession session) => new(hs.BaseUrl, session.AccessToken);

    public async Task<MatrixResponse> SendAsync(HttpMethod method, string path, JsonNode? body = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (AccessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        else if (method != HttpMethod.Get)
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        return await SendRawAsync(request, cancellationToken);
    }

    public async Task<MatrixResponse> SendRawAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        if (AccessToken is not null && request.Headers.Authorization is null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        JsonNode? json = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/json" && bytes.Length > 0)
        {
            json = JsonNode.Parse(bytes);
        }

        return new MatrixResponse(response.StatusCode, json, bytes, response.Headers, response.Content.Headers);
    }

    public Task<MatrixResponse> GetAsync(string path, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<MatrixResponse> PostAsync(string path, JsonNode? body = null) => SendAsync(HttpMethod.Post, path, body ?? new JsonObject());

    public Task<MatrixResponse> PutAsync(string path, JsonNode? body = null) => SendAsync(HttpMethod.Put, path, body ?? new JsonObject());

    /// <summary>The body of a 200 response; fails the test with the error body otherwise.</summary>
    public async Task<JsonObject> OkAsync(HttpMethod method, string path, JsonNode? body = null, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(method, path, body, cancellationToken);
        Assert.True(response.Status == HttpStatusCode.OK, $"{method} {path}: {(int)response.Status} {response.Json?.ToJsonString()}");
        return (JsonObject)response.Json!;
    }

    public Task<JsonObject> SyncAsync(string? since = null, int timeoutMs = 0, string? filter = null, CancellationToken cancellationToken = default)
    {
        var query = $"timeout={timeoutMs}";
        if (since is not null)
        {
            query += "&since=" + Uri.EscapeDataString(since);
        }

        if (filter is not null)
        {
            query += "&filter=" + Uri.EscapeDataString(filter);
        }

        return OkAsync(HttpMethod.Get, "_matrix/client/v3/sync?" + query, null, cancellationToken);
    }

    public async Task<string> CreateRoomAsync(JsonObject? body = null) =>
        (await OkAsync(HttpMethod.Post, "_matrix/client/v3/createRoom", body ?? new JsonObject()))["room_id"]!.GetValue<string>();

    public async Task<string> SendTextAsync(string roomId, string text, string? txnId = null) =>
        (await OkAsync(HttpMethod.Put, $"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/send/m.room.message/{txnId ?? Guid.NewGuid().ToString("N")}",
            new JsonObject { ["msgtype"] = "m.text", ["body"] = text }))["event_id"]!.GetValue<string>();

    public Task<JsonObject> JoinAsync(string roomId) =>
        OkAsync(HttpMethod.Post, $"_matrix/client/v3/join/{Uri.EscapeDataString(roomId)}", new JsonObject());

    public Task<JsonObject> InviteAsync(string roomId, string userId) =>
        OkAsync(HttpMethod.Post, $"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/invite", new JsonObject { ["user_id"] = userId });

    public void Dispose() => _http.Dispose();
}

internal sealed record MatrixResponse(HttpStatusCode Status, JsonNode? Json, byte[] Body, HttpResponseHeaders Headers,
    System.Net.Http.Headers.HttpContentHeaders ContentHeaders)
{
    public string? Errcode => Json?["errcode"]?.GetValue<string>();

    public void AssertError(HttpStatusCode status, string errcode)
    {
        Assert.True(Status == status && Errcode == errcode, $"expected {(int)status} {errcode}, got {(int)Status} {Json?.ToJsonString()}");
    }
}
