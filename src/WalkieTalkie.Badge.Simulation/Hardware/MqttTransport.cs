using System.Buffers;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Protocol;
using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Badge.Messaging;

namespace WalkieTalkie.Badge.Simulation.Hardware;

/// <summary>
/// The badge's MQTT connection over an MQTTnet client (MQTT 3.1.1, persistent session; over TLS when the settings
/// hold the site's trust anchor, as on the device). The badge's calls never wait
/// for the network: connecting runs in the background, and publishes, subscriptions and the disconnect before pocket
/// sleep go through one ordered queue. Received messages are copied into the badge's inbox from MQTTnet's thread.
/// </summary>
internal sealed class MqttTransport : IMessageTransport, IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly VirtualBadgeSettings _settings;
    private readonly Action<string> _log;
    private readonly Channel<Func<Task>> _queue = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _sender;
    private readonly CancellationTokenSource _stop = new();
    private Task? _connecting;
    private volatile bool _wanted;
    private int _disconnectsPending;

    /// <summary>Received audio frames are also handed to <paramref name="audioArrived"/> as they arrive, before the badge sees them (for the latency report).</summary>
    public MqttTransport(VirtualBadgeSettings settings, Func<MessageInbox> inbox, Action<string> log, Action<byte[]> audioArrived)
    {
        _settings = settings;
        _log = log;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var payload = e.ApplicationMessage.Payload.ToArray();
            if (e.ApplicationMessage.Topic.EndsWith("/ctl", StringComparison.Ordinal))
            {
                _log($"received {(payload.Length > 1 ? ControlNames.Of(payload[1]) : "an empty control message")}");
            }
            else if (e.ApplicationMessage.Topic.EndsWith("/audio", StringComparison.Ordinal))
            {
                audioArrived(payload);
            }

            if (!inbox().Post(e.ApplicationMessage.Topic, payload, 0, payload.Length))
            {
                _log($"dropped a message on {e.ApplicationMessage.Topic} ({payload.Length} bytes): inbox full or not ours");
            }

            return Task.CompletedTask;
        };
        _client.DisconnectedAsync += e =>
        {
            if (_wanted && e.ClientWasConnected)
            {
                _log($"connection lost: {e.Reason} {e.Exception?.Message}");
            }

            return Task.CompletedTask;
        };
        _sender = Task.Run(SendAsync);
    }

    public bool IsConnected => _wanted && _client.IsConnected;

    /// <summary>No radio here: the configured signal (<see cref="VirtualBadgeSettings.Rssi"/>, 0 unknown).</summary>
    public int Rssi => _settings.Rssi;

    public bool Connect(string willTopic, byte[] willPayload)
    {
        _wanted = true;
        if (Volatile.Read(ref _disconnectsPending) > 0)
        {
            return false; // the disconnect before pocket sleep has not gone out yet: connect after it
        }

        if (_client.IsConnected)
        {
            return true;
        }

        if (_connecting is null || _connecting.IsCompleted)
        {
            var builder = new MqttClientOptionsBuilder()
                .WithTcpServer(_settings.Host, _settings.Port)
                .WithClientId(_settings.Id)
                .WithCredentials(_settings.Username ?? _settings.Id, _settings.Password)
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
                .WithCleanSession(false)
                .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
                .WithTimeout(TimeSpan.FromSeconds(5))
                .WithWillTopic(willTopic)
                .WithWillPayload(willPayload)
                .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithWillRetain(true)
                // One write per packet, as the badge's M2Mqtt client sends it: MQTTnet would otherwise write a
                // PUBLISH's header and payload apart, two TCP segments where the device sends one.
                .WithoutPacketFragmentation();
            if (_settings.TrustAnchor is { } anchor)
            {
                builder.WithTlsOptions(tls => tls.UseTls()
                    .WithTargetHost(_settings.ServerName ?? _settings.Host)
                    .WithSslProtocols(System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13)
                    .WithCertificateValidationHandler(e => SiteTrust.Accepts(e.Certificate, e.SslPolicyErrors, anchor)));
            }

            _connecting = ConnectAsync(builder.Build());
        }

        return false;
    }

    public void Disconnect()
    {
        _wanted = false;
        Interlocked.Increment(ref _disconnectsPending);
        Enqueue(async () =>
        {
            try
            {
                if (_client.IsConnected)
                {
                    // A clean disconnect: the broker drops the last will, and the badge's announced state stands.
                    await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), _stop.Token);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _disconnectsPending);
            }
        });
    }

    public void Subscribe(string topicFilter) => Enqueue(async () =>
    {
        var options = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(topicFilter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .Build();
        await _client.SubscribeAsync(options, _stop.Token);
    });

    public bool Publish(string topic, byte[] payload, int length, byte qos, bool retain)
    {
        if (!IsConnected)
        {
            return false;
        }

        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload.AsSpan(0, length).ToArray())
            .WithQualityOfServiceLevel(qos == 0 ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        Enqueue(async () =>
        {
            await _client.PublishAsync(message, _stop.Token);
        });
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _wanted = false;
        _queue.Writer.TryComplete();
        try
        {
            await _sender.WaitAsync(TimeSpan.FromSeconds(2));
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
            }
        }
        catch (Exception e) when (e is TimeoutException or MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            _log($"disconnect: {e.Message}");
        }

        _stop.Cancel();
        _client.Dispose();
    }

    private async Task ConnectAsync(MqttClientOptions options)
    {
        try
        {
            var result = await _client.ConnectAsync(options, _stop.Token);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                _log($"connect refused: {result.ResultCode}");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !_stop.IsCancellationRequested)
        {
            _log($"connect to {_settings.Host}:{_settings.Port} failed: {e.Message}");
        }
    }

    private void Enqueue(Func<Task> operation) => _queue.Writer.TryWrite(operation);

    private async Task SendAsync()
    {
        await foreach (var operation in _queue.Reader.ReadAllAsync())
        {
            try
            {
                await operation();
            }
            catch (Exception e) when (e is not OperationCanceledException || !_stop.IsCancellationRequested)
            {
                _log($"send failed: {e.Message}");
            }
        }
    }
}
