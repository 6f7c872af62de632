using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Tests.Fakes;

/// <summary>
/// An MQTT connection in memory: it records what the badge publishes (audio only when <see cref="RecordAudio"/> is
/// set, so a zero-allocation test can leave it off) and can drop or refuse the connection.
/// </summary>
public sealed class FakeTransport : IMessageTransport
{
    public bool IsConnected { get; set; }

    public int Rssi { get; set; }

    /// <summary>Whether the next <see cref="Connect"/> succeeds.</summary>
    public bool Reachable { get; set; } = true;

    public bool RecordAudio { get; set; } = true;

    public int ConnectAttempts { get; private set; }

    public string? WillTopic { get; private set; }

    public byte[]? WillPayload { get; private set; }

    public List<string> Subscriptions { get; } = [];

    public List<(string Topic, byte[] Payload, byte Qos, bool Retain)> Published { get; } = [];

    public int AudioPublished { get; private set; }

    public bool Connect(string willTopic, byte[] willPayload)
    {
        ConnectAttempts++;
        WillTopic = willTopic;
        WillPayload = willPayload;
        IsConnected = Reachable;
        return IsConnected;
    }

    public void Disconnect() => IsConnected = false;

    public void Subscribe(string topicFilter) => Subscriptions.Add(topicFilter);

    public bool Publish(string topic, byte[] payload, int length, byte qos, bool retain)
    {
        if (!IsConnected)
        {
            return false;
        }

        if (topic.EndsWith("/up/audio", StringComparison.Ordinal))
        {
            AudioPublished++;
            if (!RecordAudio)
            {
                return true;
            }
        }

        Published.Add((topic, payload.AsSpan(0, length).ToArray(), qos, retain));
        return true;
    }

    /// <summary>The control messages published on up/ctl and up/state, read back.</summary>
    public List<ControlMessage> Control()
    {
        var reader = new ControlMessageReader();
        var messages = new List<ControlMessage>();
        foreach (var (topic, payload, _, _) in Published)
        {
            if (!topic.EndsWith("/audio", StringComparison.Ordinal))
            {
                Assert.Equal(ProtocolError.None, reader.Read(payload, 0, payload.Length, ControlDirection.Uplink));
                messages.Add(reader.Message);
            }
        }

        return messages;
    }

    public List<T> Control<T>() where T : ControlMessage => Control().OfType<T>().ToList();

    public List<byte[]> AudioFrames() =>
        Published.Where(p => p.Topic.EndsWith("/up/audio", StringComparison.Ordinal)).Select(p => p.Payload).ToList();
}
