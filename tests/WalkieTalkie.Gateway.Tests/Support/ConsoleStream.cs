using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>The console's live overview stream (<c>/console/v1/live</c>, server-sent events) read as a browser's EventSource does.</summary>
public sealed class ConsoleStream : IAsyncDisposable
{
    private readonly Channel<(string Kind, JsonObject Data)> _events = Channel.CreateUnbounded<(string, JsonObject)>();
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpResponseMessage _response;
    private readonly Task _reading;

    private ConsoleStream(HttpResponseMessage response)
    {
        _response = response;
        _reading = ReadAsync();
    }

    public static async Task<ConsoleStream> OpenAsync(HttpClient http)
    {
        var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "console/v1/live"), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return new ConsoleStream(response);
    }

    /// <summary>The next event whose data matches, skipping the others; fails after <paramref name="timeoutMs"/>.</summary>
    public async Task<(string Kind, JsonObject Data)> WaitForAsync(Func<JsonObject, bool> match, int timeoutMs = 5000)
    {
        using var timeout = new CancellationTokenSource(timeoutMs);
        while (true)
        {
            var next = await _events.Reader.ReadAsync(timeout.Token);
            if (match(next.Data))
            {
                return next;
            }
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            using var reader = new StreamReader(await _response.Content.ReadAsStreamAsync(_stop.Token));
            var kind = "message";
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    kind = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    await _events.Writer.WriteAsync((kind, JsonNode.Parse(line[6..])!.AsObject()));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // Closed by the test or the gateway.
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _response.Dispose();
        _stop.Dispose();
    }
}
