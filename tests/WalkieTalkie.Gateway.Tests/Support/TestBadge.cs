using System.Buffers;
using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Protocol;
using WalkieTalkie.Gateway.Transports;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>
/// A minimal protocol-speaking badge over MQTTnet, or over the gateway's in-memory transport: sends what a badge sends,
/// keeps everything it receives.
/// </summary>
public sealed class TestBadge : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ControlMessageReader _reader = new();
    private InMemoryConnection? _memory;

    private TestBadge(string id) => Id = id;

    public string Id { get; }

    public ConcurrentQueue<ControlMessage> Control { get; } = new();

    public ConcurrentQueue<byte[]> Audio { get; } = new();

    /// <summary>The QoS each audio message came at, in the order of <see cref="Audio"/>.</summary>
    public ConcurrentQueue<MqttQualityOfServiceLevel> AudioQos { get; } = new();

    /// <summary>When each audio message arrived (a Stopwatch timestamp), in the order of <see cref="Audio"/>.</summary>
    public ConcurrentQueue<long> AudioArrivals { get; } = new();

    /// <summary>The MQTT packet identifier of every QoS 1 message received (never 0 in a valid packet).</summary>
    public ConcurrentQueue<ushort> PacketIds { get; } = new();

    /// <summary>The topic of every message received, in order.</summary>
    public ConcurrentQueue<string> Topics { get; } = new();

    /// <summary>Whether the broker had kept this badge's session (its subscriptions and queued messages) when it connected.</summary>
    public bool SessionPresent { get; private set; }

    /// <summary>Connects as badge <paramref name="id"/> (client id); the user name is the id unless another is given.</summary>
    /// <param name="mqtt311">Speak MQTT 3.1.1, as real badges do (a broker that speaks no other, RabbitMQ's); else MQTTnet's default.</param>
    /// <param name="mqtt5">Speak MQTT 5.</param>
    public static async Task<TestBadge> ConnectAsync(int port, string id, string secret, bool subscribe = true, bool cleanSession = false,
        string? userName = null, bool mqtt311 = false, bool mqtt5 = false)
    {
        var badge = new TestBadge(id);
        await badge.ConnectCoreAsync(port, secret, subscribe, cleanSession, userName ?? id, mqtt311, mqtt5);
        return badge;
    }

    /// <summary>Connects as badge <paramref name="id"/> over the gateway's in-memory transport.</summary>
    public static TestBadge ConnectInMemory(InMemoryBadgeLink link, string id, string secret, bool subscribe = true, bool cleanSession = false)
    {
        var badge = new TestBadge(id);
        badge._memory = link.Connect(id, secret, (kind, payload) => badge.Receive(
            kind == TopicKind.DownAudio ? WalkieTalkie.Protocol.Topics.DownAudio(id) : WalkieTalkie.Protocol.Topics.DownControl(id), payload,
            kind == TopicKind.DownControl ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.AtMostOnce, 0),
            cleanSession) ?? throw new ConnectRefusedException(MqttClientConnectResultCode.BadUserNameOrPassword);
        if (subscribe)
        {
            badge._memory.Subscribe();
        }

        return badge;
    }

    private void Receive(string topic, byte[] payload, MqttQualityOfServiceLevel qos, ushort packetId)
    {
        Topics.Enqueue(topic);
        if (qos == MqttQualityOfServiceLevel.AtLeastOnce && packetId != 0)
        {
            PacketIds.Enqueue(packetId);
        }

        var kind = WalkieTalkie.Protocol.Topics.Parse(topic, out _);
        if (kind == TopicKind.DownAudio)
        {
            AudioArrivals.Enqueue(System.Diagnostics.Stopwatch.GetTimestamp());
            AudioQos.Enqueue(qos);
            Audio.Enqueue(payload);
        }
        else
        {
            lock (_reader)
            {
                if (_reader.Read(payload, 0, payload.Length, ControlDirection.Downlink) == ProtocolError.None)
                {
                    Control.Enqueue(_reader.Message);
                }
            }
        }
    }

    private async Task ConnectCoreAsync(int port, string secret, bool subscribe, bool cleanSession, string userName, bool mqtt311, bool mqtt5)
    {
        _client.ApplicationMessageReceivedAsync += e =>
        {
            Receive(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), e.ApplicationMessage.QualityOfServiceLevel, e.PacketIdentifier);
            return Task.CompletedTask;
        };
        // The will real badges leave (text: nanoFramework's M2Mqtt takes the will as a string).
        var offline = LastWill.ToBytes();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(Id)
            .WithCredentials(userName, secret)
            .WithCleanSession(cleanSession)
            .WithWillTopic(WalkieTalkie.Protocol.Topics.UpState(Id)).WithWillPayload(offline).WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTimeout(TimeSpan.FromSeconds(5));
        if (mqtt311)
        {
            options.WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311);
        }
        else if (mqtt5)
        {
            options.WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500);
        }

        var result = await _client.ConnectAsync(options.Build());
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new ConnectRefusedException(result.ResultCode);
        }

        SessionPresent = result.IsSessionPresent;
        if (subscribe)
        {
            await SubscribeAsync(WalkieTalkie.Protocol.Topics.DownFilter(Id));
        }
    }

    public async Task<MqttClientSubscribeResultCode> SubscribeAsync(string filter)
    {
        if (_memory is not null)
        {
            if (!TopicPolicy.MaySubscribe(Id, filter))
            {
                return MqttClientSubscribeResultCode.NotAuthorized;
            }

            _memory.Subscribe();
            return MqttClientSubscribeResultCode.GrantedQoS1;
        }

        var result = await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(filter).WithAtLeastOnceQoS()).Build());
        return result.Items.Single().ResultCode;
    }

    public bool IsConnected => _memory?.IsConnected ?? _client.IsConnected;

    public Task PublishRawAsync(string topic, byte[] payload, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce)
    {
        if (_memory is not null)
        {
            // What the embedded broker's topic policy lets through reaches the gateway; the rest is dropped.
            var kind = TopicPolicy.CheckPublish(Id, topic);
            if (kind != TopicKind.None)
            {
                _memory.Publish(kind, payload);
            }

            return Task.CompletedTask;
        }

        return _client.PublishAsync(new MqttApplicationMessage { Topic = topic, Payload = new ReadOnlySequence<byte>(payload), QualityOfServiceLevel = qos });
    }

    public Task SendAsync(ControlMessage message) =>
        PublishRawAsync(message is BadgeState ? WalkieTalkie.Protocol.Topics.UpState(Id) : WalkieTalkie.Protocol.Topics.UpControl(Id), message.ToBytes());

    public Task SendStateAsync(BadgeStatus status, byte channel = 1) =>
        SendAsync(new BadgeState { Status = status, Channel = channel, BatteryPercent = 80, Firmware = "test" });

    public Task SendFrameAsync(byte[] frame) => PublishRawAsync(WalkieTalkie.Protocol.Topics.UpAudio(Id), frame, MqttQualityOfServiceLevel.AtMostOnce);

    /// <summary>Asks for the floor and waits for the answer (granted or denied).</summary>
    public async Task<ControlMessage> RequestFloorAsync(byte channel, bool emergency = false)
    {
        var before = Control.Count;
        await SendAsync(new FloorRequest { Channel = channel, Flags = emergency ? FloorRequest.EmergencyFlag : (byte)0 });
        return await WaitForAsync<ControlMessage>(m => m is FloorGranted g && g.Channel == channel || m is FloorDenied d && d.Channel == channel, skip: before);
    }

    /// <summary>
    /// Asks for the floor as a wearer does: a badge that hears no answer within its grant timeout (3 s) plays the busy
    /// tone, and its wearer presses again. Right after a channel moves to another gateway, the lease's row can name the
    /// new owner before that gateway's engine counts the channel as its own; it keeps a request in between for 1.5 s, and
    /// one that waited longer (the database slow to answer) goes unanswered.
    /// </summary>
    public async Task<ControlMessage> PressForFloorAsync(byte channel, int presses = 3)
    {
        for (var press = 1; ; press++)
        {
            var before = Control.Count;
            await SendAsync(new FloorRequest { Channel = channel });
            try
            {
                return await WaitForAsync<ControlMessage>(m => m is FloorGranted g && g.Channel == channel || m is FloorDenied d && d.Channel == channel,
                    timeoutMs: 3000, skip: before);
            }
            catch (TimeoutException) when (press < presses)
            {
            }
        }
    }

    /// <summary>Talks: <paramref name="count"/> frames of the granted burst, a few ms apart, then optionally releases.</summary>
    public async Task TalkAsync(FloorGranted grant, int count, bool release = true, int gapMs = 5, int firstSequence = 0)
    {
        for (var i = firstSequence; i < firstSequence + count; i++)
        {
            await SendFrameAsync(TestFrames.Make(grant.Channel, grant.BurstId, (ushort)i, last: release && i == firstSequence + count - 1));
            await Task.Delay(gapMs);
        }

        if (release)
        {
            await SendAsync(new FloorRelease { Channel = grant.Channel, BurstId = grant.BurstId, FrameCount = (ushort)(firstSequence + count) });
        }
    }

    /// <summary>The first message of type T matching the predicate (after <paramref name="skip"/> earlier ones), waiting up to the bound.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool>? predicate = null, int timeoutMs = 5000, int skip = 0) where T : ControlMessage
    {
        T? found = null;
        await Eventually.TrueAsync(() =>
        {
            found = Control.Skip(skip).OfType<T>().FirstOrDefault(m => predicate?.Invoke(m) ?? true);
            return found is not null;
        }, timeoutMs);
        return found ?? throw new TimeoutException($"{Id}: no {typeof(T).Name} arrived; got {string.Join(", ", Control.Select(m => MessageType.Name(m.Type)))}");
    }

    public bool Has<T>(Func<T, bool>? predicate = null) where T : ControlMessage => Control.OfType<T>().Any(m => predicate?.Invoke(m) ?? true);

    /// <summary>Received frames of one burst, read back.</summary>
    public List<(ushort Sequence, byte Flags, byte[] Payload)> FramesOf(uint burstId)
    {
        var frame = new AudioFrame();
        var list = new List<(ushort, byte, byte[])>();
        foreach (var payload in Audio)
        {
            if (frame.Read(payload, 0, payload.Length) == ProtocolError.None && frame.BurstId == burstId)
            {
                list.Add((frame.Sequence, frame.Flags, payload));
            }
        }

        return list;
    }

    /// <summary>Received frames of one burst with when each arrived (a Stopwatch timestamp).</summary>
    public List<(ushort Sequence, long ArrivedAt)> ArrivalsOf(uint burstId)
    {
        var frame = new AudioFrame();
        var list = new List<(ushort, long)>();
        foreach (var (payload, arrivedAt) in Audio.Zip(AudioArrivals))
        {
            if (frame.Read(payload, 0, payload.Length) == ProtocolError.None && frame.BurstId == burstId)
            {
                list.Add((frame.Sequence, arrivedAt));
            }
        }

        return list;
    }

    public async Task DisconnectAsync(bool clean = true)
    {
        if (_memory is not null)
        {
            _memory.Disconnect(clean);
            return;
        }

        if (!_client.IsConnected)
        {
            return;
        }

        if (clean)
        {
            await _client.DisconnectAsync();
        }
        else
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.DisconnectWithWillMessage).Build());
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await DisconnectAsync();
        }
        catch (Exception)
        {
        }

        _client.Dispose();
    }
}

/// <summary>The broker refused a test badge's connection, with the broker's reason.</summary>
public sealed class ConnectRefusedException(MqttClientConnectResultCode resultCode) : Exception($"connection refused: {resultCode}")
{
    public MqttClientConnectResultCode ResultCode { get; } = resultCode;
}
