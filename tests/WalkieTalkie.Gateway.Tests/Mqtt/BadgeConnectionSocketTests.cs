using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Packets;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Transports.Mqtt;

namespace WalkieTalkie.Gateway.Tests.Mqtt;

/// <summary>
/// Audio frames sent on a plain connection's socket itself (non-blocking, as <see cref="BadgeListener"/> sets it up):
/// a full socket refuses a frame whole and the session's queue carries it, behind which later frames wait, so the
/// listener gets every frame once, whole and in order; a socket that takes part of a frame gets the rest before
/// anything else; a connection that is gone refuses frames without holding the send lock.
/// </summary>
public sealed class BadgeConnectionSocketTests
{
    [Theory]
    [InlineData(176)]
    [InlineData(40_000)] // larger than the socket's buffer: the socket takes part of a frame, the stream the rest
    public async Task A_full_socket_refuses_frames_whole_and_the_queue_carries_them_in_order(int size)
    {
        using var pair = await SocketPair.OpenAsync(buffer: 4096);
        var connection = pair.Connection;
        var session = Channel.CreateUnbounded<byte[]>();
        var queued = 0;
        var sent = 0;
        // Stands for the session's queue and its sender (DirectRoute.TrySendAudio, MQTTnet's send loop).
        var sender = Task.Run(async () =>
        {
            await foreach (var frame in session.Reader.ReadAllAsync())
            {
                await connection.SendPacketAsync(new MqttPublishPacket { Topic = connection.AudioTopic, Payload = new ReadOnlySequence<byte>(frame) }, CancellationToken.None);
                Interlocked.Increment(ref sent);
            }
        });

        var frames = 0;
        var written = 0;
        void Send()
        {
            var frame = Frame(frames++, size);
            if (connection.TryWriteAudio(frame))
            {
                written++;
                return;
            }

            connection.NoteQueued();
            Interlocked.Increment(ref queued);
            session.Writer.TryWrite(frame);
        }

        // Nobody reads yet: the socket fills and refuses.
        while (queued == 0 && frames < 100_000)
        {
            Send();
        }

        Assert.True(queued > 0, "the socket never filled");
        var reading = pair.ReadPublishesAsync();
        // Frames go on while the queue drains: they wait behind it.
        for (var i = 0; i < 100; i++)
        {
            Send();
            await Task.Yield();
        }

        // Once the queue has drained, frames go to the socket again.
        Assert.True(await Eventually.TrueAsync(() => Volatile.Read(ref sent) == Volatile.Read(ref queued), 60_000));
        written = 0;
        for (var i = 0; i < 20; i++)
        {
            Send();
            await Task.Delay(1);
        }

        Assert.True(written > 0, "no frame went to the socket after the queue drained");
        // The socket may have taken only part of the last frame, its rest still on its way: one more frame through the
        // queue waits for it (the send lock), so the near end stops writing only after the whole of it.
        connection.NoteQueued();
        session.Writer.TryWrite(Frame(frames++, size));
        session.Writer.Complete();
        await sender.WaitAsync(TimeSpan.FromSeconds(60));
        pair.EndWriting();
        var heard = await reading.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(Enumerable.Range(0, frames), heard.Select(p => Sequence(p, size)));
    }

    [Fact]
    public async Task Sending_a_frame_on_the_socket_allocates_nothing()
    {
        // Room for every frame: none is refused or split, so each is one send.
        using var pair = await SocketPair.OpenAsync(buffer: 1 << 20);
        var frame = Frame(7, 176);
        Assert.True(pair.Connection.TryWriteAudio(frame));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var written = 0;
        for (var i = 0; i < 1000; i++)
        {
            written += pair.Connection.TryWriteAudio(frame) ? 1 : 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1000, written);
        var reading = pair.ReadPublishesAsync();
        pair.EndWriting();
        Assert.Equal(1001, (await reading.WaitAsync(TimeSpan.FromSeconds(60))).Count);
    }

    [Fact]
    public async Task A_connection_whose_far_end_is_gone_refuses_frames_and_leaves_the_send_lock_free()
    {
        using var pair = await SocketPair.OpenAsync(buffer: 4096);
        pair.ResetFarEnd();

        // The first sends after a reset may still be taken; within a few the socket says it is gone.
        var refusedAt = -1;
        for (var i = 0; i < 1000 && refusedAt < 0; i++)
        {
            if (!pair.Connection.TryWriteAudio(Frame(i, 176)))
            {
                refusedAt = i;
            }
            else
            {
                await Task.Delay(1);
            }
        }

        Assert.True(refusedAt >= 0, "a connection reset by its far end kept taking frames");
        Assert.False(pair.Connection.TryWriteAudio(Frame(0, 176)));
        // MQTTnet's own write takes the send lock and fails on the socket; it does not wait for a lock nobody gives back.
        var ping = pair.Connection.SendPacketAsync(MqttPingRespPacket.Instance, CancellationToken.None);
        await Assert.ThrowsAnyAsync<Exception>(() => ping.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(ping.IsFaulted, "MQTTnet's write is still waiting for the send lock");
    }

    [Fact]
    public async Task A_closed_socket_throws_ObjectDisposedException_and_leaves_the_send_lock_free()
    {
        using var pair = await SocketPair.OpenAsync(buffer: 4096);
        Assert.True(pair.Connection.TryWriteAudio(Frame(0, 176)));
        pair.CloseNearEnd();

        // DirectRoutes takes ObjectDisposedException as the route's end.
        Assert.Throws<ObjectDisposedException>(() => pair.Connection.TryWriteAudio(Frame(1, 176)));
        var ping = pair.Connection.SendPacketAsync(MqttPingRespPacket.Instance, CancellationToken.None);
        await Assert.ThrowsAnyAsync<Exception>(() => ping.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(ping.IsFaulted, "MQTTnet's write is still waiting for the send lock");
    }

    private static byte[] Frame(int sequence, int size)
    {
        var frame = new byte[size];
        BitConverter.TryWriteBytes(frame, sequence);
        for (var i = 4; i < size; i++)
        {
            frame[i] = (byte)(sequence + i);
        }

        return frame;
    }

    // The frame's number, after checking the rest of it is the frame's own bytes (a frame cut or mixed with another is not).
    private static int Sequence(byte[] payload, int size)
    {
        Assert.Equal(size, payload.Length);
        var sequence = BitConverter.ToInt32(payload);
        Assert.Equal(Frame(sequence, size), payload);
        return sequence;
    }

    /// <summary>A plain connection on loopback: the gateway's end as a <see cref="BadgeConnection"/>, small buffers on both.</summary>
    private sealed class SocketPair : IDisposable
    {
        private readonly Socket _near;
        private readonly Socket _far;
        private readonly NetworkStream _stream;

        private SocketPair(Socket near, Socket far)
        {
            _near = near;
            _far = far;
            _stream = new NetworkStream(near, ownsSocket: true);
            near.Blocking = false; // as BadgeListener sets a plain connection up
            var channel = new WholePacketChannel(new MqttTcpChannel(_stream, near.LocalEndPoint, near.RemoteEndPoint, null));
            var formatter = new MqttPacketFormatterAdapter(MqttProtocolVersion.V311, new MqttBufferWriter(4096, 65536));
            Connection = new BadgeConnection(new MqttChannelAdapter(channel, formatter, MqttNetNullLogger.Instance), channel, near);
            Connection.LoggedIn("ben");
        }

        public BadgeConnection Connection { get; }

        public static async Task<SocketPair> OpenAsync(int buffer)
        {
            using var listening = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listening.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listening.Listen(1);
            var far = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = buffer };
            await far.ConnectAsync(listening.LocalEndPoint!);
            var near = await listening.AcceptAsync();
            near.NoDelay = true;
            near.SendBufferSize = buffer;
            return new SocketPair(near, far);
        }

        /// <summary>The far end reads every PUBLISH until the near end stops writing, and returns their payloads.</summary>
        public Task<List<byte[]>> ReadPublishesAsync() => Task.Run(async () =>
        {
            var received = new MemoryStream();
            var buffer = new byte[65536];
            int read;
            while ((read = await _far.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                received.Write(buffer, 0, read);
            }

            return Parse(received.ToArray());
        });

        /// <summary>The near end has written all it will: the far end's reading ends.</summary>
        public void EndWriting() => _near.Shutdown(SocketShutdown.Send);

        /// <summary>The far end goes away at once (a reset, as a badge that lost power and came back does).</summary>
        public void ResetFarEnd()
        {
            _far.LingerState = new LingerOption(true, 0);
            _far.Close();
        }

        /// <summary>The gateway closes its end (as BadgeListener does when the connection ends).</summary>
        public void CloseNearEnd() => _stream.Dispose();

        public void Dispose()
        {
            Connection.Dispose();
            _stream.Dispose();
            _far.Dispose();
        }

        // MQTT 3.1.1 QoS 0 PUBLISH packets, one after another: each must be whole and on the badge's audio topic.
        private static List<byte[]> Parse(byte[] wire)
        {
            var payloads = new List<byte[]>();
            var at = 0;
            while (at < wire.Length)
            {
                Assert.Equal(0x30, wire[at++]);
                var remaining = 0;
                var shift = 0;
                byte digit;
                do
                {
                    digit = wire[at++];
                    remaining |= (digit & 0x7F) << shift;
                    shift += 7;
                }
                while ((digit & 0x80) != 0);

                var end = at + remaining;
                Assert.True(end <= wire.Length, "a packet cut short");
                var topicLength = (wire[at] << 8) | wire[at + 1];
                Assert.Equal(WalkieTalkie.Protocol.Topics.DownAudio("ben"), System.Text.Encoding.UTF8.GetString(wire, at + 2, topicLength));
                at += 2 + topicLength;
                payloads.Add(wire[at..end]);
                at = end;
            }

            return payloads;
        }
    }
}
