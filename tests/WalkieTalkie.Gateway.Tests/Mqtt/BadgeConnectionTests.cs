using System.Buffers;
using MQTTnet.Adapter;
using MQTTnet.Channel;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using WalkieTalkie.Gateway.Transports.Mqtt;
using WalkieTalkie.Protocol;

namespace WalkieTalkie.Gateway.Tests.Mqtt;

/// <summary>
/// Audio frames written straight to a badge's connection: the same bytes MQTTnet would send for the message, in one
/// write, never overtaking what the session's queue holds for the badge, never interleaved with MQTTnet's own packets.
/// </summary>
public sealed class BadgeConnectionTests
{
    private static readonly byte[] Payload = Enumerable.Range(0, 176).Select(i => (byte)i).ToArray();

    internal static BadgeConnection Connection(IMqttChannel wire, MqttProtocolVersion version, string badge = "ben")
    {
        var channel = new WholePacketChannel(wire);
        var writer = new MqttBufferWriter(4096, 65536);
        // Unknown is how the broker's adapter starts: the version is read from the CONNECT.
        var formatter = version == MqttProtocolVersion.Unknown ? new MqttPacketFormatterAdapter(writer) : new MqttPacketFormatterAdapter(version, writer);
        var connection = new BadgeConnection(new MqttChannelAdapter(channel, formatter, MqttNetNullLogger.Instance), channel);
        connection.LoggedIn(badge);
        return connection;
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_frame_is_the_publish_MQTTnet_would_send_in_one_write(MqttProtocolVersion version)
    {
        var mqttnet = new HeldChannel();
        using (var adapter = Connection(mqttnet, version))
        {
            await adapter.SendPacketAsync(new MqttPublishPacket { Topic = Topics.DownAudio("ben"), Payload = new ReadOnlySequence<byte>(Payload) }, CancellationToken.None);
        }

        var wire = new HeldChannel();
        using var connection = Connection(wire, version);

        Assert.True(connection.TryWriteAudio(Payload));
        Assert.Equal(Assert.Single(mqttnet.Writes), Assert.Single(wire.Writes));
    }

    [Fact]
    public void Nothing_is_written_before_the_protocol_version_is_known()
    {
        var wire = new HeldChannel();
        using var connection = Connection(wire, MqttProtocolVersion.Unknown);

        Assert.False(connection.TryWriteAudio(Payload));
        Assert.Empty(wire.Writes);
    }

    [Fact]
    public async Task A_frame_waits_behind_a_queued_message_until_MQTTnet_has_written_it()
    {
        var wire = new HeldChannel();
        using var connection = Connection(wire, MqttProtocolVersion.V311);

        connection.NoteQueued();
        Assert.False(connection.TryWriteAudio(Payload));

        // Another message on the same topic name that did not come from a route's queue does not count.
        await connection.SendPacketAsync(new MqttPublishPacket { Topic = Topics.DownControl("ben"), Payload = new ReadOnlySequence<byte>(Payload) }, CancellationToken.None);
        Assert.False(connection.TryWriteAudio(Payload));

        await connection.SendPacketAsync(new MqttPublishPacket { Topic = connection.ControlTopic!, Payload = new ReadOnlySequence<byte>(Payload) }, CancellationToken.None);
        Assert.True(connection.TryWriteAudio(Payload));
        Assert.Equal(3, wire.Writes.Count);
    }

    [Fact]
    public async Task A_frame_never_splits_a_packet_MQTTnet_is_writing_nor_one_still_being_written()
    {
        var wire = new HeldChannel();
        using var connection = Connection(wire, MqttProtocolVersion.V311);

        wire.Hold();
        var sending = connection.SendPacketAsync(MqttPingRespPacket.Instance, CancellationToken.None);
        Assert.False(sending.IsCompleted);
        Assert.False(connection.TryWriteAudio(Payload));
        wire.Release();
        await sending;

        wire.Hold();
        Assert.True(connection.TryWriteAudio(Payload)); // taken; the write is under way
        Assert.False(connection.TryWriteAudio(Payload));
        var next = connection.SendPacketAsync(MqttPingRespPacket.Instance, CancellationToken.None);
        Assert.False(next.IsCompleted);
        wire.Release();
        await next;
        Assert.True(connection.TryWriteAudio(Payload));
        Assert.Equal(4, wire.Writes.Count);
    }

    [Fact]
    public void Writing_a_frame_allocates_nothing_once_the_buffer_has_grown()
    {
        var wire = new HeldChannel { Keep = false };
        using var connection = Connection(wire, MqttProtocolVersion.V311);
        Assert.True(connection.TryWriteAudio(Payload));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(connection.TryWriteAudio(Payload));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1001, wire.Count);
    }
}
