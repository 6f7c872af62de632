using MQTTnet.Adapter;

namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>
/// A logged-in badge's connection as the gateway reads it itself, in place of MQTTnet's channel adapter
/// (<see cref="BadgeConnection"/>): each read takes what the connection holds into a <see cref="PacketFramer"/>; a plain
/// QoS 0 PUBLISH (not retained, not a duplicate, no MQTT 5 properties) is taken apart where it lies, its topic a string
/// made once (<see cref="TopicNames"/>) and its payload copied into the one array the engine keeps; any other packet is
/// handed over with a copy of its body, for MQTTnet's decoder, as its adapter hands it.
/// </summary>
public sealed class BadgePacketReader(Stream stream, PacketFramer framer)
{
    private const byte PlainPublish = 0x30; // PUBLISH, QoS 0, no DUP, no RETAIN
    private readonly TopicNames _topics = new();

    /// <summary>Bytes read from the connection so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Reads what the connection holds (waiting for some if it holds nothing); 0 at its end. Then <see cref="Filled"/>.</summary>
    public ValueTask<int> ReadAsync(CancellationToken cancellationToken) => stream.ReadAsync(framer.Space(), cancellationToken);

    /// <summary>The read returned <paramref name="count"/> bytes.</summary>
    public void Filled(int count)
    {
        framer.Filled(count);
        BytesRead += count;
    }

    /// <inheritdoc cref="PacketFramer.TryNext"/>
    public bool TryNext(out FramedPacket packet) => framer.TryNext(out packet);

    /// <summary>
    /// <paramref name="packet"/>'s topic and payload when it is a plain QoS 0 PUBLISH, well formed; false for anything
    /// else (which MQTTnet decodes, or refuses as malformed).
    /// </summary>
    public bool TryPlainPublish(in FramedPacket packet, bool mqtt5, out string topic, out byte[] payload)
    {
        topic = "";
        payload = [];
        if (packet.Header != PlainPublish || packet.BodyLength < 2)
        {
            return false;
        }

        var body = framer.Buffer.AsSpan(packet.BodyOffset, packet.BodyLength);
        var topicLength = (body[0] << 8) | body[1];
        var at = 2 + topicLength;
        if (topicLength == 0 || at > body.Length || (mqtt5 && (at == body.Length || body[at++] != 0)))
        {
            return false;
        }

        topic = _topics.Of(body[2..(2 + topicLength)]);
        payload = body[at..].ToArray();
        return true;
    }

    /// <summary><paramref name="packet"/> as MQTTnet's adapter hands a packet to its decoder: the body in an array of its own.</summary>
    public ReceivedMqttPacket Received(in FramedPacket packet) =>
        new(packet.Header, new ArraySegment<byte>(framer.Buffer.AsSpan(packet.BodyOffset, packet.BodyLength).ToArray()), packet.TotalLength);
}
