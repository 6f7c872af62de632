using System.Buffers;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using WalkieTalkie.Gateway.Transports.Mqtt;

namespace WalkieTalkie.Gateway.Tests.Mqtt;

/// <summary>
/// What the gateway reads itself from a logged-in badge's connection (<see cref="BadgePacketReader"/>), checked against
/// MQTTnet's own encoder and decoder: a plain QoS 0 PUBLISH is taken apart in place with the same topic and payload
/// MQTTnet decodes, for MQTT 3.1.1 and 5; anything else is left to MQTTnet's decoder, which decodes it as its adapter's.
/// </summary>
public sealed class BadgePacketReaderTests
{
    private static byte[] Encoded(MqttPacket packet, MqttProtocolVersion version) =>
        new MqttPacketFormatterAdapter(version, new MqttBufferWriter(4096, 65536)).Encode(packet).Join().ToArray();

    private static async Task<(BadgePacketReader Reader, List<FramedPacket> Packets)> ReadAllAsync(byte[] bytes)
    {
        var reader = new BadgePacketReader(new MemoryStream(bytes), new PacketFramer(MqttLimits.MaxPacketBytes, _ => { }));
        var packets = new List<FramedPacket>();
        int read;
        while ((read = await reader.ReadAsync(CancellationToken.None)) > 0)
        {
            reader.Filled(read);
            while (reader.TryNext(out var packet))
            {
                packets.Add(packet);
            }
        }

        Assert.Equal(bytes.Length, reader.BytesRead);
        return (reader, packets);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_plain_QoS_0_publish_is_taken_apart_as_MQTTnet_decodes_it(MqttProtocolVersion version)
    {
        var frame = Enumerable.Range(0, 170).Select(i => (byte)i).ToArray();
        var publish = new MqttPublishPacket { Topic = "wt/v1/anna/up/audio", PayloadSegment = frame };
        var (reader, packets) = await ReadAllAsync(Encoded(publish, version));

        var packet = Assert.Single(packets);
        Assert.True(reader.TryPlainPublish(packet, version == MqttProtocolVersion.V500, out var topic, out var payload));
        Assert.Equal("wt/v1/anna/up/audio", topic);
        Assert.Equal(frame, payload);
        var decoded = Assert.IsType<MqttPublishPacket>(new MqttPacketFormatterAdapter(version, new MqttBufferWriter(4096, 65536)).Decode(reader.Received(packet)));
        Assert.Equal(decoded.Topic, topic);
        Assert.Equal(decoded.Payload.ToArray(), payload);
    }

    [Fact]
    public async Task A_badges_topic_is_one_string_made_once()
    {
        var publish = Encoded(new MqttPublishPacket { Topic = "wt/v1/anna/up/audio", PayloadSegment = new byte[] { 1 } }, MqttProtocolVersion.V311);
        var (reader, packets) = await ReadAllAsync([.. publish, .. publish, .. publish]);

        var topics = packets.Select(p => reader.TryPlainPublish(p, mqtt5: false, out var topic, out _) ? topic : null).ToList();
        Assert.Equal(3, topics.Count);
        Assert.All(topics, t => Assert.Same(topics[0], t));
    }

    public static TheoryData<string, MqttPacket, MqttProtocolVersion> NotPlain => new()
    {
        { "QoS 1", new MqttPublishPacket { Topic = "t", QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce, PacketIdentifier = 7, PayloadSegment = new byte[] { 1 } }, MqttProtocolVersion.V311 },
        { "retained", new MqttPublishPacket { Topic = "t", Retain = true, PayloadSegment = new byte[] { 1 } }, MqttProtocolVersion.V311 },
        { "topic alias", new MqttPublishPacket { Topic = "t", TopicAlias = 3, PayloadSegment = new byte[] { 1 } }, MqttProtocolVersion.V500 },
        { "a property", new MqttPublishPacket { Topic = "t", ContentType = "audio/x", PayloadSegment = new byte[] { 1 } }, MqttProtocolVersion.V500 },
        { "subscribe", new MqttSubscribePacket { PacketIdentifier = 2, TopicFilters = [new MqttTopicFilter { Topic = "wt/v1/anna/down/#" }] }, MqttProtocolVersion.V311 },
        { "ping", MqttPingReqPacket.Instance, MqttProtocolVersion.V311 },
    };

    [Theory]
    [MemberData(nameof(NotPlain))]
    public async Task Anything_else_is_left_to_MQTTnets_decoder(string what, MqttPacket sent, MqttProtocolVersion version)
    {
        var (reader, packets) = await ReadAllAsync(Encoded(sent, version));

        var packet = Assert.Single(packets);
        Assert.False(reader.TryPlainPublish(packet, version == MqttProtocolVersion.V500, out _, out _), what);
        var decoded = new MqttPacketFormatterAdapter(version, new MqttBufferWriter(4096, 65536)).Decode(reader.Received(packet));
        Assert.Equal(sent.GetType(), decoded.GetType());
        Assert.Equal(Encoded(sent, version), Encoded(decoded, version));
    }

    [Theory]
    [InlineData(new byte[] { 0x30, 0x03, 0x00, 0x05, 0x61 })] // topic longer than the body
    [InlineData(new byte[] { 0x30, 0x03, 0x00, 0x00, 0x61 })] // empty topic (no alias can stand for it here)
    [InlineData(new byte[] { 0x30, 0x01, 0x00 })] // no room for a topic's length
    public async Task A_malformed_publish_is_not_taken_apart(byte[] bytes)
    {
        var (reader, packets) = await ReadAllAsync(bytes);

        Assert.False(reader.TryPlainPublish(Assert.Single(packets), mqtt5: false, out _, out _));
    }

    [Fact]
    public async Task An_MQTT_5_publish_without_its_property_length_is_not_taken_apart()
    {
        var (reader, packets) = await ReadAllAsync([0x30, 0x03, 0x00, 0x01, 0x61]);

        Assert.False(reader.TryPlainPublish(Assert.Single(packets), mqtt5: true, out _, out _));
        Assert.True(reader.TryPlainPublish(packets[0], mqtt5: false, out var topic, out var payload));
        Assert.Equal(("a", 0), (topic, payload.Length));
    }
}
