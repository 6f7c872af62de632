using System.Buffers;
using System.Diagnostics;
using MQTTnet;
using MQTTnet.Protocol;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Bench;

/// <summary>
/// A badge reduced to what the bench needs: connects with its secret and a persistent session, subscribes to its
/// downlink, announces itself idle, and stamps the arrival time of every audio frame by sequence number.
/// </summary>
public sealed class VirtualBadge : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ControlMessageReader _reader = new();
    private long[] _arrivals = [];

    private VirtualBadge(string id) => Id = id;

    public string Id { get; }

    public TaskCompletionSource<FloorGranted> Granted { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When the last <c>floor-granted</c> arrived (Stopwatch), 0 before any.</summary>
    public long GrantedAt { get; private set; }

    /// <summary>Frames of the measured burst received (any burst id; the bench runs one at a time).</summary>
    public int Received;

    /// <param name="secret">The badge's secret; null connects without credentials (a plain broker's anonymous client).</param>
    /// <param name="subscribeTo">The topic filter to hear; null for the badge's own downlink.</param>
    public static async Task<VirtualBadge> ConnectAsync(int port, string id, string? secret, bool announce = true, string? subscribeTo = null)
    {
        var badge = new VirtualBadge(id);
        badge._client.ApplicationMessageReceivedAsync += e =>
        {
            badge.OnMessage(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(id)
            .WithCleanSession(false)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(60))
            .WithTimeout(TimeSpan.FromSeconds(30));
        if (secret is not null)
        {
            builder.WithCredentials(id, secret);
        }

        var result = await badge._client.ConnectAsync(builder.Build());
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"{id}: connection refused ({result.ResultCode})");
        }

        await badge._client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(subscribeTo ?? Topics.DownFilter(id)).WithAtLeastOnceQoS()).Build());
        if (announce)
        {
            await badge.PublishAsync(Topics.UpState(id), new BadgeState { Status = BadgeStatus.Idle, Firmware = "bench" }.ToBytes(),
                MqttQualityOfServiceLevel.AtLeastOnce);
        }

        return badge;
    }

    /// <summary>Prepares to time a burst of <paramref name="frames"/> frames.</summary>
    public void Expect(int frames)
    {
        _arrivals = new long[frames];
        Received = 0;
        Granted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public long Arrival(int sequence) => _arrivals[sequence];

    private void OnMessage(MqttApplicationMessage message)
    {
        var now = Stopwatch.GetTimestamp();
        var payload = message.Payload;
        if (message.Topic.EndsWith("/audio", StringComparison.Ordinal))
        {
            Span<byte> header = stackalloc byte[12];
            payload.Slice(0, 12).CopyTo(header);
            var sequence = header[8] | header[9] << 8;
            if (sequence < _arrivals.Length && _arrivals[sequence] == 0)
            {
                _arrivals[sequence] = now;
                Interlocked.Increment(ref Received);
            }

            return;
        }

        var bytes = payload.ToArray();
        lock (_reader)
        {
            if (_reader.Read(bytes, 0, bytes.Length, ControlDirection.Downlink) == ProtocolError.None && _reader.Message is FloorGranted granted)
            {
                GrantedAt = now;
                Granted.TrySetResult(granted);
            }
        }
    }

    public Task PublishAsync(string topic, byte[] payload, MqttQualityOfServiceLevel qos) =>
        _client.PublishAsync(new MqttApplicationMessage { Topic = topic, Payload = new ReadOnlySequence<byte>(payload), QualityOfServiceLevel = qos });

    public Task SendControlAsync(ControlMessage message) => PublishAsync(Topics.UpControl(Id), message.ToBytes(), MqttQualityOfServiceLevel.AtLeastOnce);

    public bool IsConnected => _client.IsConnected;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync();
            }
        }
        catch (Exception)
        {
        }

        _client.Dispose();
    }
}
