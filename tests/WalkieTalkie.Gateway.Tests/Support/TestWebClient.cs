using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>
/// A browser as the gateway sees it, without a browser: signs in to a gateway-local account (antiforgery token, cookie),
/// takes a ticket and opens the web walkie's WebSocket with an <c>Origin</c>, sends envelopes and keeps what arrives.
/// </summary>
public sealed class TestWebClient : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CookieContainer _cookies = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ControlMessageReader _reader = new();
    private ClientWebSocket? _socket;
    private Task _receiving = Task.CompletedTask;

    public TestWebClient(int port)
    {
        Port = port;
        _http = new HttpClient(new HttpClientHandler { CookieContainer = _cookies }) { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
    }

    public int Port { get; }

    public string Origin => $"http://127.0.0.1:{Port}";

    public HttpClient Http => _http;

    public ConcurrentQueue<ControlMessage> Control { get; } = new();

    public ConcurrentQueue<byte[]> Audio { get; } = new();

    /// <summary>How the socket ended, once it has.</summary>
    public WebSocketCloseStatus? CloseStatus => _socket?.CloseStatus;

    public WebSocketState State => _socket?.State ?? WebSocketState.None;

    public async Task<string> AntiforgeryAsync()
    {
        var tokens = await _http.GetFromJsonAsync<JsonObject>("web/v1/antiforgery");
        return tokens!["token"]!.GetValue<string>();
    }

    public async Task<HttpResponseMessage> LoginAsync(string name, string password, bool withAntiforgery = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "web/v1/login") { Content = JsonContent.Create(new { name, password }) };
        if (withAntiforgery)
        {
            request.Headers.Add("X-Walkie-Antiforgery", await AntiforgeryAsync());
        }

        return await _http.SendAsync(request);
    }

    public async Task<HttpResponseMessage> TicketResponseAsync(bool withAntiforgery = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "walkie/v1/ticket") { Content = new StringContent("") };
        if (withAntiforgery)
        {
            request.Headers.Add("X-Walkie-Antiforgery", await AntiforgeryAsync());
        }

        return await _http.SendAsync(request);
    }

    public async Task<string> TicketAsync()
    {
        using var response = await TicketResponseAsync();
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["ticket"]!.GetValue<string>();
    }

    /// <summary>Opens the socket; the exception of a refused upgrade carries its status.</summary>
    public async Task ConnectAsync(string? ticket = null, string? origin = null, bool announce = true)
    {
        ticket ??= await TicketAsync();
        _socket = new ClientWebSocket();
        _socket.Options.SetRequestHeader("Origin", origin ?? Origin);
        _socket.Options.CollectHttpResponseDetails = true;
        await _socket.ConnectAsync(new Uri($"ws://127.0.0.1:{Port}/walkie/v1/socket?ticket={Uri.EscapeDataString(ticket)}"), CancellationToken.None);
        _receiving = ReceiveAsync(_socket);
        if (announce)
        {
            await SendControlAsync(new BadgeState { Status = BadgeStatus.Idle, Channel = 1, BatteryPercent = 255, Firmware = "web-test" }, TopicKind.UpState);
            await WaitForAsync<Config>();
        }
    }

    /// <summary>The status code a refused upgrade got.</summary>
    public static async Task<HttpStatusCode> RefusedUpgradeAsync(int port, string query, string? origin)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        try
        {
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/walkie/v1/socket{query}"), CancellationToken.None);
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }

        throw new InvalidOperationException("the upgrade was accepted");
    }

    public Task SendControlAsync(ControlMessage message, TopicKind kind = TopicKind.UpControl) => SendEnvelopeAsync(kind, message.ToBytes());

    public Task SendFrameAsync(byte[] frame) => SendEnvelopeAsync(TopicKind.UpAudio, frame);

    public Task SendEnvelopeAsync(TopicKind kind, byte[] payload) => SendRawAsync([(byte)kind, .. payload]);

    public Task SendRawAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Binary) =>
        _socket!.SendAsync(bytes, type, true, CancellationToken.None);

    public async Task<T> WaitForAsync<T>(Func<T, bool>? predicate = null, int timeoutMs = 5000, int skip = 0) where T : ControlMessage
    {
        T? found = null;
        await Eventually.TrueAsync(() =>
        {
            found = Control.Skip(skip).OfType<T>().FirstOrDefault(m => predicate?.Invoke(m) ?? true);
            return found is not null;
        }, timeoutMs);
        return found ?? throw new TimeoutException($"no {typeof(T).Name} arrived; got {string.Join(", ", Control.Select(m => MessageType.Name(m.Type)))}");
    }

    private async Task ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[8192];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var length = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), _stop.Token);
                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                Assert.Equal(ProtocolError.None, WireEnvelope.Read(buffer, length, uplink: false, out var kind));
                var payload = buffer.AsSpan(1, length - 1).ToArray();
                if (kind == TopicKind.DownAudio)
                {
                    Audio.Enqueue(payload);
                }
                else if (_reader.Read(payload, 0, payload.Length, ControlDirection.Downlink) == ProtocolError.None)
                {
                    Control.Enqueue(_reader.Message!);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_socket is { State: WebSocketState.Open })
        {
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
            }
            catch (Exception e) when (e is WebSocketException or TimeoutException)
            {
            }
        }

        await _receiving;
        _socket?.Dispose();
        _http.Dispose();
    }
}
