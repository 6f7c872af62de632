using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Channel;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using WalkieTalkie.Gateway.Transports.Mqtt;

namespace WalkieTalkie.Gateway.Tests.Mqtt;

/// <summary>
/// Every packet the broker sends leaves in one write: MQTTnet's adapter writes a PUBLISH's header and payload apart
/// (two TCP segments, two TLS records); the channel joins them without allocating.
/// </summary>
public sealed class WholePacketChannelTests
{
    private static readonly byte[] Payload = Enumerable.Range(0, 337).Select(i => (byte)i).ToArray();

    private static MqttChannelAdapter Adapter(IMqttChannel channel) =>
        new(channel, new MqttPacketFormatterAdapter(MqttProtocolVersion.V311, new MqttBufferWriter(4096, 65536)), MqttNetNullLogger.Instance);

    private static MqttPublishPacket Frame() => new() { Topic = "wt/down/ear-1/a", Payload = new ReadOnlySequence<byte>(Payload) };

    [Fact]
    public async Task MQTTnet_alone_writes_a_publish_in_two()
    {
        var wire = new RecordingChannel();
        using var adapter = Adapter(wire);

        await adapter.SendPacketAsync(Frame(), CancellationToken.None);

        Assert.Equal(2, wire.Writes.Count);
    }

    [Fact]
    public async Task A_publish_goes_out_in_one_write_with_its_bytes_in_order()
    {
        var alone = new RecordingChannel();
        using (var adapter = Adapter(alone))
        {
            await adapter.SendPacketAsync(Frame(), CancellationToken.None);
        }

        var wire = new RecordingChannel();
        using var joined = Adapter(new WholePacketChannel(wire));
        await joined.SendPacketAsync(Frame(), CancellationToken.None);
        await joined.SendPacketAsync(Frame(), CancellationToken.None);

        Assert.Equal(2, wire.Writes.Count);
        var expected = alone.Writes.SelectMany(w => w).ToArray();
        Assert.Equal(expected, wire.Writes[0]);
        Assert.Equal(expected, wire.Writes[1]);
        Assert.Equal(Payload, wire.Writes[0][^Payload.Length..]);
    }

    [Fact]
    public async Task A_packet_without_payload_passes_straight_through()
    {
        var wire = new RecordingChannel();
        using var adapter = Adapter(new WholePacketChannel(wire));

        await adapter.SendPacketAsync(MqttPingRespPacket.Instance, CancellationToken.None);

        Assert.Equal([0xD0, 0x00], Assert.Single(wire.Writes));
    }

    [Fact]
    public async Task A_packet_larger_than_the_buffer_is_still_one_write()
    {
        var wire = new RecordingChannel();
        using var adapter = Adapter(new WholePacketChannel(wire));
        var large = new byte[5000];
        Random.Shared.NextBytes(large);

        await adapter.SendPacketAsync(new MqttPublishPacket { Topic = "wt/down/ear-1/a", Payload = new ReadOnlySequence<byte>(large) }, CancellationToken.None);

        Assert.Equal(large, Assert.Single(wire.Writes)[^large.Length..]);
    }

    [Fact]
    public async Task Joining_allocates_nothing_once_the_buffer_has_grown()
    {
        var wire = new CountingChannel();
        var channel = new WholePacketChannel(wire);
        var header = new ReadOnlySequence<byte>(new byte[20]);
        var payload = new ReadOnlySequence<byte>(Payload);
        await channel.WriteAsync(header, isEndOfPacket: false, CancellationToken.None);
        await channel.WriteAsync(payload, isEndOfPacket: true, CancellationToken.None);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            await channel.WriteAsync(header, isEndOfPacket: false, CancellationToken.None);
            await channel.WriteAsync(payload, isEndOfPacket: true, CancellationToken.None);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1001, wire.Writes);
        Assert.Equal(1001L * (20 + Payload.Length), wire.Bytes);
    }

    private abstract class WireChannel : IMqttChannel
    {
        public X509Certificate2 ClientCertificate => null!;

        public EndPoint RemoteEndPoint => new IPEndPoint(IPAddress.Loopback, 1);

        public EndPoint LocalEndPoint => new IPEndPoint(IPAddress.Loopback, 2);

        public bool IsSecureConnection => false;

        public Task ConnectAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task DisconnectAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(0);

        public abstract Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken);

        public void Dispose()
        {
        }
    }

    private sealed class RecordingChannel : WireChannel
    {
        public List<byte[]> Writes { get; } = [];

        public override Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken)
        {
            Writes.Add(buffer.ToArray());
            return Task.CompletedTask;
        }
    }

    private sealed class CountingChannel : WireChannel
    {
        public int Writes { get; private set; }

        public long Bytes { get; private set; }

        public override Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken)
        {
            Writes++;
            Bytes += buffer.Length;
            return Task.CompletedTask;
        }
    }
}
