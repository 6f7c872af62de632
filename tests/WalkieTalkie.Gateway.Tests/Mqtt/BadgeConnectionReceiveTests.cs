using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Channel;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using Microsoft.Extensions.Time.Testing;
using MQTTnet.Protocol;
using WalkieTalkie.Gateway.Transports.Mqtt;
using WalkieTalkie.Protocol;

namespace WalkieTalkie.Gateway.Tests.Mqtt;

/// <summary>
/// What a badge's connection hands MQTTnet and what it takes the short way (to the broker's publish check): only a
/// QoS 0, not retained PUBLISH on exactly the badge's own uplink audio topic, without a topic alias, while the
/// connection runs; everything else reaches MQTTnet as it was read.
/// </summary>
public sealed class BadgeConnectionReceiveTests
{
    private static readonly byte[] Payload = Enumerable.Range(0, 176).Select(i => (byte)i).ToArray();

    private readonly List<(string Badge, string Topic, TopicKind Kind, byte[] Payload)> _taken = [];
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UnixEpoch);

    private void Take(string badge, string topic, TopicKind kind, ReadOnlySequence<byte> payload) => _taken.Add((badge, topic, kind, payload.ToArray()));

    private static MqttPublishPacket Publish(string topic, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtMostOnce, bool retain = false) =>
        new() { Topic = topic, QualityOfServiceLevel = qos, Retain = retain, PacketIdentifier = (ushort)(qos == MqttQualityOfServiceLevel.AtMostOnce ? 0 : 7), Payload = new ReadOnlySequence<byte>(Payload) };

    // The connection as the broker has it once the badge's CONNECT (keep-alive as given) was read and accepted.
    private async Task<BadgeConnection> LoggedInAsync(MqttProtocolVersion version, ushort keepAlive, params MqttPacket[] packets)
    {
        var formatter = new MqttPacketFormatterAdapter(version, new MqttBufferWriter(4096, 65536));
        var wire = new WireChannel([new MqttConnectPacket { ClientId = "ben", KeepAlivePeriod = keepAlive }, .. packets], formatter);
        var channel = new WholePacketChannel(wire);
        var connection = new BadgeConnection(new MqttChannelAdapter(channel, new MqttPacketFormatterAdapter(new MqttBufferWriter(4096, 65536)),
            MqttNetNullLogger.Instance), channel, _clock);
        Assert.IsType<MqttConnectPacket>(await connection.ReceivePacketAsync(CancellationToken.None));
        connection.LoggedIn("ben", Take);
        return connection;
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task The_badges_own_audio_frames_take_the_short_way_and_MQTTnet_gets_the_next_packet(MqttProtocolVersion version)
    {
        using var connection = await LoggedInAsync(version, 0,
            Publish(Topics.UpAudio("ben")), Publish(Topics.UpAudio("ben")), Publish(Topics.UpAudio("ben")), MqttPingReqPacket.Instance);

        Assert.IsType<MqttPingReqPacket>(await connection.ReceivePacketAsync(CancellationToken.None));
        Assert.Equal(3, _taken.Count);
        Assert.All(_taken, t =>
        {
            Assert.Equal(("ben", Topics.UpAudio("ben"), TopicKind.UpAudio), (t.Badge, t.Topic, t.Kind));
            Assert.Equal(Payload, t.Payload);
        });
        Assert.Equal(3, connection.FastFrames);
        Assert.Null(await connection.ReceivePacketAsync(CancellationToken.None)); // the wire closed
    }

    public static TheoryData<MqttProtocolVersion, string> Others() => new()
    {
        { MqttProtocolVersion.V311, "another badge's audio topic" },
        { MqttProtocolVersion.V311, "its own control topic" },
        { MqttProtocolVersion.V311, "its downlink audio topic" },
        { MqttProtocolVersion.V311, "retained" },
        { MqttProtocolVersion.V311, "QoS 1" },
        { MqttProtocolVersion.V500, "another badge's audio topic" },
        { MqttProtocolVersion.V500, "retained" },
        { MqttProtocolVersion.V500, "QoS 1" },
        { MqttProtocolVersion.V500, "a topic alias" },
    };

    [Theory]
    [MemberData(nameof(Others))]
    public async Task Anything_else_reaches_MQTTnet_as_it_was_read(MqttProtocolVersion version, string what)
    {
        var packet = what switch
        {
            "another badge's audio topic" => Publish(Topics.UpAudio("anna")),
            "its own control topic" => Publish(Topics.UpControl("ben")),
            "its downlink audio topic" => Publish(Topics.DownAudio("ben")),
            "retained" => Publish(Topics.UpAudio("ben"), retain: true),
            "QoS 1" => Publish(Topics.UpAudio("ben"), MqttQualityOfServiceLevel.AtLeastOnce),
            _ => Alias(Publish(Topics.UpAudio("ben"))),
        };
        using var connection = await LoggedInAsync(version, 0, packet);

        var read = Assert.IsType<MqttPublishPacket>(await connection.ReceivePacketAsync(CancellationToken.None));
        Assert.Equal((packet.Topic, packet.QualityOfServiceLevel, packet.Retain, packet.TopicAlias), (read.Topic, read.QualityOfServiceLevel, read.Retain, read.TopicAlias));
        Assert.Equal(Payload, read.Payload.ToArray());
        Assert.Empty(_taken);
        Assert.Equal(0, connection.FastFrames);
    }

    [Fact]
    public async Task Once_another_connection_takes_over_the_badge_its_frames_go_to_MQTTnet_which_drops_them()
    {
        using var connection = await LoggedInAsync(MqttProtocolVersion.V311, 0, Publish(Topics.UpAudio("ben")), Publish(Topics.UpAudio("ben")));

        connection.Superseded();

        Assert.IsType<MqttPublishPacket>(await connection.ReceivePacketAsync(CancellationToken.None));
        Assert.Empty(_taken);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task MQTTnet_sees_a_frame_whenever_a_quarter_of_the_keep_alive_passed_since_the_last_packet_it_saw(MqttProtocolVersion version)
    {
        // A 2 s keep-alive (MQTTnet allows 3 s without a packet): a frame goes to MQTTnet once 500 ms passed since the last.
        var frames = Enumerable.Range(0, 6).Select(_ => Publish(Topics.UpAudio("ben"))).Append<MqttPacket>(MqttPingReqPacket.Instance).ToArray();
        using var connection = await LoggedInAsync(version, 2, frames);
        Assert.Equal(TimeSpan.FromMilliseconds(500), connection.HandOff);

        _clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.IsType<MqttPingReqPacket>(await connection.ReceivePacketAsync(CancellationToken.None)); // all 6 taken: the CONNECT was 499 ms ago
        Assert.Equal(6, _taken.Count);

        using var later = await LoggedInAsync(version, 2, frames);
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        Assert.IsType<MqttPublishPacket>(await later.ReceivePacketAsync(CancellationToken.None));          // 500 ms since the CONNECT: to MQTTnet
        Assert.IsType<MqttPingReqPacket>(await later.ReceivePacketAsync(CancellationToken.None));          // the next 5 taken
        Assert.Equal(11, _taken.Count);
    }

    [Fact]
    public async Task Without_a_keep_alive_no_frame_needs_to_go_to_MQTTnet()
    {
        using var connection = await LoggedInAsync(MqttProtocolVersion.V311, 0, Publish(Topics.UpAudio("ben")), MqttPingReqPacket.Instance);
        Assert.Equal(TimeSpan.MaxValue, connection.HandOff);
        _clock.Advance(TimeSpan.FromDays(1));

        Assert.IsType<MqttPingReqPacket>(await connection.ReceivePacketAsync(CancellationToken.None));
        Assert.Single(_taken);
    }

    private static MqttPublishPacket Alias(MqttPublishPacket packet)
    {
        packet.TopicAlias = 3;
        return packet;
    }

    /// <summary>A badge's end of the connection: the given packets, encoded, then the end of the stream.</summary>
    private sealed class WireChannel(IEnumerable<MqttPacket> packets, MqttPacketFormatterAdapter formatter) : IMqttChannel
    {
        private readonly byte[] _bytes = packets.SelectMany(p =>
        {
            var bytes = formatter.Encode(p).Join().ToArray();
            formatter.Cleanup();
            return bytes;
        }).ToArray();

        private int _at;

        public X509Certificate2 ClientCertificate => null!;

        public EndPoint RemoteEndPoint => new IPEndPoint(IPAddress.Loopback, 1);

        public EndPoint LocalEndPoint => new IPEndPoint(IPAddress.Loopback, 2);

        public bool IsSecureConnection => false;

        public Task ConnectAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task DisconnectAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var n = Math.Min(count, _bytes.Length - _at);
            Array.Copy(_bytes, _at, buffer, offset, n);
            _at += n;
            return Task.FromResult(n);
        }

        public Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
