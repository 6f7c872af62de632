using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using WalkieTalkie.WebWalkie.Api;

namespace WalkieTalkie.WebWalkie.Console;

/// <summary>The console's watching API (<c>/console/v1</c>), with the signed-in account's cookie.</summary>
public sealed class ConsoleWatchApi(GatewayApi gateway)
{
    private readonly HttpClient _http = new() { BaseAddress = gateway.BaseAddress };

    public const string LivePath = "/console/v1/live";

    /// <summary>True once the gateway answered 401: the user must sign in (on the walkie page).</summary>
    public bool SignedOut { get; private set; }

    public Task<RecordingsDay?> RecordingsAsync(string? day, int? channel, int offsetMinutes) =>
        GetAsync($"/console/v1/recordings?offset={offsetMinutes.ToString(CultureInfo.InvariantCulture)}" +
            (day is null ? "" : "&day=" + Uri.EscapeDataString(day)) + (channel is null ? "" : "&channel=" + channel.Value.ToString(CultureInfo.InvariantCulture)),
            ConsoleWatchJson.Default.RecordingsDay);

    public Task<Waveform?> WaveformAsync(uint burstId) =>
        GetAsync($"/console/v1/recordings/{burstId.ToString(CultureInfo.InvariantCulture)}/waveform", ConsoleWatchJson.Default.Waveform);

    public static string AudioPath(uint burstId, bool download) =>
        $"/console/v1/recordings/{burstId.ToString(CultureInfo.InvariantCulture)}/audio.wav{(download ? "?download=1" : "")}";

    public Task<FloorPage?> FloorAsync(string query) => GetAsync("/console/v1/floor?" + query, ConsoleWatchJson.Default.FloorPage);

    /// <summary>Deletes a recording; null when done, else the gateway's reason.</summary>
    public async Task<string?> DeleteRecordingAsync(uint burstId)
    {
        var token = await _http.GetFromJsonAsync("/web/v1/antiforgery", WalkieJson.Default.AntiforgeryResponse);
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/console/v1/recordings/{burstId.ToString(CultureInfo.InvariantCulture)}");
        request.Headers.Add(token!.Header, token.Token);
        using var response = await _http.SendAsync(request);
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        var error = await response.Content.ReadFromJsonAsync(WalkieJson.Default.ErrorResponse);
        return error?.Error ?? response.StatusCode.ToString();
    }

    private async Task<T?> GetAsync<T>(string path, JsonTypeInfo<T> type) where T : class
    {
        using var response = await _http.GetAsync(path);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            SignedOut = true;
            return null;
        }

        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync(type) : null;
    }
}
