using System.Buffers;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using WalkieTalkie.Gateway.Transports.Mqtt;
using WalkieTalkie.Protocol;
using MqttProtocolViolationException = MQTTnet.Exceptions.MqttProtocolViolationException;

namespace WalkieTalkie.Fuzz.Targets;

/// <summary>
/// A logged-in badge's bytes as the gateway reads them (<see cref="PacketFramer"/>, <see cref="BadgePacketReader"/>),
/// checked against MQTTnet's own decoder. The first byte picks the reads' size (1-64 bytes) and the protocol (MQTT 5 when
/// its bit 6 is set, else 3.1.1); the rest is what the badge sent. The framer's documented refusals are a packet too large
/// (<see cref="IOException"/>) and a length of more than four bytes (MQTTnet's protocol violation). Whatever it frames
/// must add up to the bytes fed, and every publish the reader takes apart itself must be one MQTTnet decodes to a QoS 0
/// publish with the same topic and payload: what the gateway takes is what MQTTnet would have handed it.
/// </summary>
public sealed class MqttUplinkTarget : FuzzTarget
{
    public override string Description => "PacketFramer and BadgePacketReader (a logged-in badge's MQTT stream), against MQTTnet's decoder";

    public override IReadOnlyList<string> Libraries => ["walkie"];

    public override FuzzOutcome Run(byte[] input)
    {
        if (input.Length == 0)
        {
            return FuzzOutcome.Refused;
        }

        var chunk = 1 + (input[0] & 0x3F);
        var version = (input[0] & 0x40) != 0 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311;
        var framer = new PacketFramer(MqttLimits.MaxPacketBytes, _ => { });
        var reader = new BadgePacketReader(Stream.Null, framer);
        var decoder = new MqttPacketFormatterAdapter(version, new MqttBufferWriter(4096, 65536));
        var taken = 0;
        var framed = 0;
        try
        {
            for (var at = 1; at < input.Length;)
            {
                var space = framer.Space();
                var count = Math.Min(Math.Min(chunk, space.Length), input.Length - at);
                if (count == 0)
                {
                    throw new FuzzInvariantException("the framer left no room to read into");
                }

                input.AsSpan(at, count).CopyTo(space.Span);
                reader.Filled(count);
                at += count;
                while (reader.TryNext(out var packet))
                {
                    framed += packet.TotalLength;
                    if (framed > at - 1)
                    {
                        throw new FuzzInvariantException($"{framed} bytes framed of {at - 1} read");
                    }

                    if (reader.TryPlainPublish(packet, version == MqttProtocolVersion.V500, out var topic, out var payload))
                    {
                        Check(decoder, reader, packet, topic, payload);
                        taken++;
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or MqttProtocolViolationException)
        {
            return FuzzOutcome.Refused;
        }

        return taken > 0 ? FuzzOutcome.Accepted : FuzzOutcome.Refused;
    }

    private static void Check(MqttPacketFormatterAdapter decoder, BadgePacketReader reader, FramedPacket packet, string topic, byte[] payload)
    {
        MqttPacket decoded;
        try
        {
            decoded = decoder.Decode(reader.Received(packet));
        }
        catch (Exception e)
        {
            throw new FuzzInvariantException($"a publish taken apart by the reader is refused by MQTTnet's decoder: {e.GetType().Name}: {e.Message}");
        }

        if (decoded is not MqttPublishPacket { QualityOfServiceLevel: MqttQualityOfServiceLevel.AtMostOnce, Retain: false, TopicAlias: 0 } publish)
        {
            throw new FuzzInvariantException($"a publish taken apart by the reader is, to MQTTnet, {decoded}");
        }

        if (publish.Topic != topic || !publish.Payload.ToArray().AsSpan().SequenceEqual(payload))
        {
            throw new FuzzInvariantException($"the reader took topic {topic} and {payload.Length} bytes, MQTTnet decodes {publish.Topic} and {publish.Payload.Length}");
        }
    }

    public override IEnumerable<byte[]> Seeds()
    {
        var frame = new byte[203];
        frame[0] = 1;
        foreach (var version in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
        {
            var encoder = new MqttPacketFormatterAdapter(version, new MqttBufferWriter(4096, 65536));
            byte[] Encoded(MqttPacket packet) => encoder.Encode(packet).Join().ToArray();
            byte mode = (byte)(version == MqttProtocolVersion.V500 ? 0x40 | 63 : 63);
            var audio = Encoded(new MqttPublishPacket { Topic = Topics.UpAudio("anna"), PayloadSegment = frame });
            yield return [mode, .. audio];
            yield return [mode, .. audio, .. audio, .. Encoded(MqttPingReqPacket.Instance), .. audio];
            yield return [(byte)(mode & 0x40 | 6), .. audio, .. audio];
            yield return [mode, .. Encoded(new MqttPublishPacket { Topic = Topics.UpControl("anna"), QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
                PacketIdentifier = 9, PayloadSegment = new byte[] { 1, 2 } }), .. audio];
            yield return [mode, .. Encoded(new MqttSubscribePacket { PacketIdentifier = 1, TopicFilters = [new MqttTopicFilter { Topic = Topics.DownFilter("anna") }] })];
            yield return [mode, .. audio[..(audio.Length / 2)]];
        }
    }

    public override IEnumerable<string> DictionaryTokens() => ["wt/v1/", "/up/audio", "/up/ctl", "/up/state", "0", "2", "\u0000\u0013wt/v1/anna/up/audio"];
}
