using MQTTnet.Exceptions;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Transports.Mqtt;

namespace WalkieTalkie.Gateway.Tests.Mqtt;

/// <summary>
/// The framing of a logged-in badge's connection (<see cref="PacketFramer"/>): whatever the reads deliver, whole packets
/// come out in order with their bodies and lengths; a packet too large is refused from its header, a length of more than
/// four bytes is a protocol violation.
/// </summary>
public sealed class PacketFramerTests
{
    private const int Limit = 4352;

    /// <summary>A packet whose body counts up from <paramref name="first"/>, so that each body is told apart.</summary>
    private static byte[] Packet(byte type, int bodyLength, byte first = 0) =>
        [.. Header(type, bodyLength), .. Enumerable.Range(0, bodyLength).Select(i => (byte)(first + i))];

    private static byte[] Header(byte type, int bodyLength) => [type, .. RawMqttClient.RemainingLength(bodyLength)];

    /// <summary>Feeds <paramref name="stream"/> to a framer <paramref name="chunk"/> bytes a read at most, taking packets after each read.</summary>
    private static List<(byte Header, byte[] Body, int Total)> Frame(byte[] stream, int chunk, Action<long>? refused = null)
    {
        var framer = new PacketFramer(Limit, refused ?? (_ => { }));
        var packets = new List<(byte, byte[], int)>();
        for (var at = 0; at < stream.Length;)
        {
            var space = framer.Space();
            var count = Math.Min(Math.Min(chunk, space.Length), stream.Length - at);
            Assert.True(count > 0, "the framer left no room to read into");
            stream.AsSpan(at, count).CopyTo(space.Span);
            framer.Filled(count);
            at += count;
            while (framer.TryNext(out var packet))
            {
                packets.Add((packet.Header, framer.Buffer.AsSpan(packet.BodyOffset, packet.BodyLength).ToArray(), packet.TotalLength));
            }
        }

        return packets;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(100)]
    [InlineData(1000)]
    [InlineData(65536)]
    public void Whole_packets_come_out_in_order_however_the_reads_split_them(int chunk)
    {
        byte[][] sent = [Packet(0x30, 180, 1), Packet(0xC0, 0), Packet(0x30, 127, 2), Packet(0x30, 128, 3), Packet(0x82, 20, 4), Packet(0x30, Limit, 5),
            Packet(0x30, 300, 6), Packet(0x30, 900, 7)];
        var stream = sent.SelectMany(p => p).ToArray();

        var packets = Frame(stream, chunk);

        Assert.Equal(sent.Length, packets.Count);
        for (var i = 0; i < sent.Length; i++)
        {
            Assert.Equal(sent[i][0], packets[i].Header);
            Assert.Equal(sent[i].Length, packets[i].Total);
            Assert.Equal(sent[i][(sent[i].Length - packets[i].Body.Length)..], packets[i].Body);
        }
    }

    [Fact]
    public void A_packet_is_not_taken_before_its_last_byte_has_come()
    {
        var framer = new PacketFramer(Limit, _ => { });
        var packet = Packet(0x30, 200);
        packet.AsSpan(0, packet.Length - 1).CopyTo(framer.Space().Span);
        framer.Filled(packet.Length - 1);
        Assert.False(framer.TryNext(out _));

        framer.Space().Span[0] = packet[^1];
        framer.Filled(1);
        Assert.True(framer.TryNext(out var whole));
        Assert.Equal((0x30, 200, packet.Length), (whole.Header, whole.BodyLength, whole.TotalLength));
        Assert.False(framer.TryNext(out _));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4096)]
    public void A_packet_announcing_more_than_the_limit_is_refused_from_its_header(int chunk)
    {
        long? refused = null;
        byte[] stream = [.. Packet(0x10, 40), .. Header(0x30, 100_000_000), .. new byte[1024]];

        var failure = Assert.Throws<IOException>(() => Frame(stream, chunk, announced => refused = announced));

        Assert.Equal(100_000_000, refused);
        Assert.Contains("100000000", failure.Message);
    }

    [Fact]
    public void The_largest_packet_allowed_passes_and_one_byte_more_does_not()
    {
        Assert.Single(Frame(Packet(0x30, Limit), 65536));
        Assert.Throws<IOException>(() => Frame(Packet(0x30, Limit + 1), 65536));
    }

    [Fact]
    public void A_length_of_more_than_four_bytes_is_a_protocol_violation()
    {
        Assert.Throws<MqttProtocolViolationException>(() => Frame([0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], 6));
    }
}
