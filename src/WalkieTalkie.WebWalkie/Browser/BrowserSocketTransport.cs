using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Badge.Messaging;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.WebWalkie.Browser;

/// <summary>
/// The badge's message transport over the web walkie's WebSocket: each publish becomes a <see cref="WireEnvelope"/>
/// naming the topic kind, each received envelope goes to the badge's inbox on its own down topic. Connecting asks the
/// page for a ticket (its session) and opens the socket in the background; the badge simply asks again until it is up.
/// </summary>
internal sealed class BrowserSocketTransport(string deviceId, Func<Task<string?>> socketUrl) : IMessageTransport
{
    private readonly string _audioTopic = Topics.DownAudio(deviceId);
    private readonly string _controlTopic = Topics.DownControl(deviceId);
    private readonly byte[] _envelope = new byte[WireEnvelope.MaxLength];
    private bool _connecting;
    private bool _open;

    public MessageInbox? Inbox { get; set; }

    /// <summary>Messages from the gateway that were not a valid downlink envelope.</summary>
    public int Refused { get; private set; }

    /// <summary>Raised when the socket opens or closes.</summary>
    public event Action? StateChanged;

    public bool IsConnected => _open;

    public int Rssi => 0;

    public bool Connect(string willTopic, byte[] willPayload)
    {
        if (_open)
        {
            return true;
        }

        if (!_connecting)
        {
            _connecting = true;
            _ = OpenAsync();
        }

        return false;
    }

    private async Task OpenAsync()
    {
        try
        {
            var url = await socketUrl();
            if (url is null)
            {
                _connecting = false;
                return;
            }

            JsWalkie.OpenSocket(url);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            _connecting = false;
        }
    }

    public void Disconnect()
    {
        _open = false;
        JsWalkie.CloseSocket();
    }

    public void Subscribe(string topicFilter)
    {
        // The gateway sends this device's downlink on its socket: there is nothing to choose.
    }

    public bool Publish(string topic, byte[] payload, int length, byte qos, bool retain)
    {
        var kind = Topics.Parse(topic, out var owner);
        if (!_open || owner != deviceId)
        {
            return false;
        }

        var written = WireEnvelope.Write(kind, payload, 0, length, _envelope);
        return written > 0 && JsWalkie.SendSocket(_envelope.AsSpan(0, written).ToArray());
    }

    public void OnOpen()
    {
        _open = true;
        _connecting = false;
        StateChanged?.Invoke();
    }

    public void OnClosed()
    {
        _open = false;
        _connecting = false;
        StateChanged?.Invoke();
    }

    public void OnMessage(byte[] data)
    {
        if (WireEnvelope.Read(data, data.Length, uplink: false, out var kind) != ProtocolError.None)
        {
            Refused++;
            return;
        }

        Inbox?.Post(kind == TopicKind.DownAudio ? _audioTopic : _controlTopic, data, WireEnvelope.HeaderLength, data.Length - WireEnvelope.HeaderLength);
    }
}
