using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace WalkieTalkie.Gateway.Bench;

/// <summary>
/// A console page's view of the overview's live stream (<c>/console/v1/live</c>) as an admin: signs in as the page
/// does, reads every server-sent event and notes when it arrived and which badge batteries and floor holders it carried.
/// </summary>
public sealed class ConsoleWatcher : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<(long At, Dictionary<string, int> Batteries, Dictionary<int, string?> Holders)> _events = new();
    private Task _reading = Task.CompletedTask;

    private ConsoleWatcher(int port)
    {
        _http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
    }

    public int Events => _events.Count;

    public static async Task<ConsoleWatcher> StartAsync(int port, string user, string password)
    {
        var watcher = new ConsoleWatcher(port);
        var token = (await watcher._http.GetFromJsonAsync<JsonObject>("web/v1/antiforgery"))!["token"]!.GetValue<string>();
        var login = new HttpRequestMessage(HttpMethod.Post, "web/v1/login") { Content = JsonContent.Create(new { name = user, password }) };
        login.Headers.Add("X-Walkie-Antiforgery", token);
        (await watcher._http.SendAsync(login)).EnsureSuccessStatusCode();
        var response = await watcher._http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "console/v1/live"), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        watcher._reading = watcher.ReadAsync(response);
        return watcher;
    }

    /// <summary>When the first event after <paramref name="after"/> showed <paramref name="badge"/> at <paramref name="battery"/> percent (0 when none did).</summary>
    public long BatteryShown(string badge, int battery, long after) =>
        _events.FirstOrDefault(e => e.At >= after && e.Batteries.TryGetValue(badge, out var b) && b == battery).At;

    /// <summary>When the first event after <paramref name="after"/> showed <paramref name="holder"/> (null: nobody) holding <paramref name="channel"/>.</summary>
    public long HolderShown(int channel, string? holder, long after) =>
        _events.FirstOrDefault(e => e.At >= after && e.Holders.TryGetValue(channel, out var h) && h == holder).At;

    private async Task ReadAsync(HttpResponseMessage response)
    {
        try
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    continue;
                }

                var at = Stopwatch.GetTimestamp();
                var data = JsonNode.Parse(line[6..])!;
                var batteries = data["badges"]!.AsArray().ToDictionary(b => b!["id"]!.GetValue<string>(), b => b!["battery"]!.GetValue<int>());
                var holders = data["channels"]!.AsArray().ToDictionary(c => c!["number"]!.GetValue<int>(), c => c!["holderId"]?.GetValue<string>());
                _events.Enqueue((at, batteries, holders));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // The bench is over.
        }
        finally
        {
            response.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _http.Dispose();
        _stop.Dispose();
    }
}
