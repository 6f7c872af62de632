using System.Buffers;
using MQTTnet;
using MQTTnet.Protocol;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Badge.Simulation.Tests.Support;

/// <summary>
/// The least of a gateway that lets two badges talk (docs/protocol.md, "Talking" and "Listening"): one channel, its
/// floor first come first served, frames forwarded as they are to every other member, <c>burst-start</c> and
/// <c>burst-end</c> around them. No recording, no wake, no permits.
/// </summary>
public sealed class MiniRelay : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly string[] _members;
    private readonly object _gate = new();
    private readonly System.Diagnostics.Stopwatch _watch = System.Diagnostics.Stopwatch.StartNew();
    private readonly List<string> _log = [];
    private string? _holder;
    private uint _burst;
    private uint _nextBurst = 1000;
    private byte _channel;
    private byte _rate;

    // MQTTnet's receive handler must not wait for a QoS 1 acknowledgement (it would wait on itself): the handler only
    // queues, and one worker relays in arrival order.
    private readonly System.Threading.Channels.Channel<(string Topic, byte[] Payload)> _inbound =
        System.Threading.Channels.Channel.CreateUnbounded<(string, byte[])>();
    private Task? _worker;

    private MiniRelay(string[] members) => _members = members;

    /// <summary>The longest burst granted, in seconds.</summary>
    public int MaxTalkSeconds { get; set; } = 30;

    /// <summary>Frames forwarded (one per listener).</summary>
    public int FramesForwarded { get; private set; }

    public IReadOnlyList<string> Log
    {
        get { lock (_gate) { return _log.ToList(); } }
    }

    public static async Task<MiniRelay> StartAsync(int port, params string[] members)
    {
        var relay = new MiniRelay(members);
        relay._client.ApplicationMessageReceivedAsync += e =>
        {
            relay._inbound.Writer.TryWrite((e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray()));
            return Task.CompletedTask;
        };
        relay._worker = Task.Run(async () =>
        {
            await foreach (var (topic, payload) in relay._inbound.Reader.ReadAllAsync())
            {
                await relay.OnMessageAsync(topic, payload);
            }
        });
        await relay._client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("mini-relay").Build());
        await relay._client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(Topics.AllUplinks).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)).Build());
        return relay;
    }

    public async ValueTask DisposeAsync()
    {
        _inbound.Writer.TryComplete();
        if (_worker is not null)
        {
            await _worker.WaitAsync(TimeSpan.FromSeconds(2));
        }

        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }

    private async Task OnMessageAsync(string topic, byte[] payload)
    {
        var kind = Topics.Parse(topic, out var badge);
        if (kind == TopicKind.UpAudio)
        {
            await OnAudioAsync(badge, payload);
        }
        else if (kind == TopicKind.UpControl)
        {
            var reader = new ControlMessageReader();
            if (reader.Read(payload, 0, payload.Length, ControlDirection.Uplink) != ProtocolError.None)
            {
                Note($"unreadable control message from {badge}");
                return;
            }

            switch (reader.Message)
            {
                case FloorRequest request:
                    Note($"floor request from {badge}");
                    await OnRequestAsync(badge, request);
                    break;
                case FloorRelease release:
                    await OnReleaseAsync(badge, release);
                    break;
            }
        }
    }

    private async Task OnRequestAsync(string badge, FloorRequest request)
    {
        bool granted;
        lock (_gate)
        {
            granted = _holder is null;
            if (granted)
            {
                _holder = badge;
                _burst = _nextBurst++;
                _channel = request.Channel;
                _rate = 0xFF;
            }
        }

        Note(granted ? $"floor to {badge}, burst {_burst}" : $"floor denied to {badge}");
        await SendAsync(badge, granted
            ? new FloorGranted { Channel = request.Channel, BurstId = _burst, MaxTalkSeconds = (ushort)MaxTalkSeconds }
            : new FloorDenied { Channel = request.Channel, Reason = DenyReason.Busy, RetryAfterSeconds = 1 });
    }

    private async Task OnAudioAsync(string badge, byte[] payload)
    {
        var frame = new AudioFrame();
        if (frame.Read(payload, 0, payload.Length) != ProtocolError.None)
        {
            Note($"unreadable frame from {badge}");
            return;
        }

        bool announce;
        lock (_gate)
        {
            if (badge != _holder || frame.BurstId != _burst)
            {
                return;
            }

            announce = _rate == 0xFF;
            _rate = frame.RateCode;
        }

        foreach (var listener in _members.Where(m => m != badge))
        {
            if (announce)
            {
                await SendAsync(listener, new BurstStart { Channel = _channel, BurstId = _burst, RateCode = frame.RateCode, Talker = badge });
            }

            await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Topics.DownAudio(listener)).WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce).Build());
            FramesForwarded++;
        }
    }

    private async Task OnReleaseAsync(string badge, FloorRelease release)
    {
        lock (_gate)
        {
            if (badge != _holder || release.BurstId != _burst)
            {
                return;
            }

            _holder = null;
        }

        Note($"{badge} released burst {release.BurstId} after {release.FrameCount} frames");
        foreach (var listener in _members.Where(m => m != badge))
        {
            await SendAsync(listener, new BurstEnd { Channel = release.Channel, BurstId = release.BurstId, Reason = EndReason.Released, FrameCount = release.FrameCount });
        }
    }

    private Task SendAsync(string badge, ControlMessage message) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Topics.DownControl(badge)).WithPayload(message.ToBytes())
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    private void Note(string line)
    {
        lock (_gate)
        {
            _log.Add($"{_watch.Elapsed.TotalSeconds:0.000}s {line}");
        }
    }
}
