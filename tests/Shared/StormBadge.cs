using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Tests.Shared;

/// <summary>
/// One badge of a reconnect storm, as lean as a socket and a buffer so that thousands fit in one process: MQTT 3.1.1
/// written by hand, connecting as the device does (persistent session, the retained <c>offline</c> will on
/// <c>up/state</c>, keep-alive 60 s), then subscribing to its <c>down/#</c> and publishing its retained idle
/// <c>badge-state</c>. It counts as served once the gateway's <c>config</c> reaches it through that subscription, the
/// gateway's answer to the state. A lost or refused connection is retried after a fixed delay, as the badge's
/// <c>BadgeController</c> does (<c>ReconnectDelayMilliseconds</c>, 1 s, no back-off), for as long as it runs.
/// Timestamps are <see cref="Stopwatch"/>'s, the machine's monotonic clock, so they compare across processes.
/// </summary>
public sealed class StormBadge(string id, string secret, int port)
{
    private const int KeepAliveSeconds = 60;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    private static readonly ControlMessageReader Reader = new();

    private readonly byte[] _connect = ConnectPacket(id, secret);
    private readonly byte[] _subscribe = SubscribePacket(Topics.DownFilter(id));
    private readonly byte[] _state = StatePacket(Topics.UpState(id));
    private readonly string _control = Topics.DownControl(id);
    private readonly SemaphoreSlim _sending = new(1, 1);
    private byte[] _buffer = new byte[256];
    private int _length;
    private long _connectedAt;
    private long _servedAt;

    public string Id => id;

    /// <summary>When the latest connection was accepted (CONNACK 0), or 0.</summary>
    public long ConnectedAt => Volatile.Read(ref _connectedAt);

    /// <summary>When the gateway's config reached the latest connection, or 0 (not yet served on it).</summary>
    public long ServedAt => Volatile.Read(ref _servedAt);

    public bool IsConnected { get; private set; }

    /// <summary>Attempts answered with a CONNACK other than 0.</summary>
    public int Refused;

    /// <summary>Attempts the gateway closed (or let time out) before answering, once it was listening.</summary>
    public int Dropped;

    /// <summary>Attempts no one was listening for (the gateway down).</summary>
    public int NotListening;

    /// <summary>Accepted connections that ended while the badge ran.</summary>
    public int Lost;

    /// <summary>Forgets when the badge was last connected and served: what follows is a new reconnection to time.</summary>
    public void Mark()
    {
        Volatile.Write(ref _connectedAt, 0);
        Volatile.Write(ref _servedAt, 0);
        Refused = Dropped = NotListening = Lost = 0;
    }

    /// <summary>Connects at <paramref name="firstAttempt"/>, then keeps connected until <paramref name="stopping"/>.</summary>
    public async Task RunAsync(TimeSpan firstAttempt, int reconnectDelayMilliseconds, CancellationToken stopping)
    {
        var wait = firstAttempt;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(wait, stopping);
                await ConnectedAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }

            wait = TimeSpan.FromMilliseconds(reconnectDelayMilliseconds);
        }
    }

    private async Task ConnectedAsync(CancellationToken stopping)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        attempt.CancelAfter(ConnectTimeout);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port, attempt.Token);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            Interlocked.Increment(ref NotListening);
            return;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !stopping.IsCancellationRequested)
        {
            Interlocked.Increment(ref Dropped);
            return;
        }

        int? code = null;
        try
        {
            await socket.SendAsync(_connect, attempt.Token);
            if (await ReadPacketAsync(socket, attempt.Token) == 0x20 && _length == 2)
            {
                code = _buffer[1];
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !stopping.IsCancellationRequested)
        {
        }

        if (code is null)
        {
            Interlocked.Increment(ref Dropped);
            return;
        }

        if (code != 0)
        {
            Interlocked.Increment(ref Refused);
            return;
        }

        Volatile.Write(ref _servedAt, 0);
        Volatile.Write(ref _connectedAt, Stopwatch.GetTimestamp());
        IsConnected = true;
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var keepAlive = KeepAliveAsync(socket, connection.Token);
        try
        {
            // As the device: SUBSCRIBE, then the retained state, without waiting for the SUBACK in between.
            await SendAsync(socket, _subscribe, stopping);
            await SendAsync(socket, _state, stopping);
            while (await ReadPacketAsync(socket, stopping) is { } header)
            {
                if ((header & 0xF0) == 0x30)
                {
                    await OnPublishAsync(socket, header, stopping);
                }
            }
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
        }
        finally
        {
            IsConnected = false;
            await connection.CancelAsync();
            await keepAlive;
        }

        // A connection from before the last Mark (the gateway restarting under it) is not counted.
        if (!stopping.IsCancellationRequested && ConnectedAt != 0)
        {
            Interlocked.Increment(ref Lost);
        }
    }

    private async Task OnPublishAsync(Socket socket, int header, CancellationToken stopping)
    {
        var topicLength = BinaryPrimitives.ReadUInt16BigEndian(_buffer);
        var topic = Encoding.UTF8.GetString(_buffer, 2, topicLength);
        var at = 2 + topicLength;
        if ((header & 0x06) != 0)
        {
            var packetId = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(at));
            at += 2;
            await SendAsync(socket, [0x40, 2, (byte)(packetId >> 8), (byte)packetId], stopping);
        }

        if (topic != _control || ServedAt != 0)
        {
            return;
        }

        bool isConfig;
        lock (Reader)
        {
            isConfig = Reader.Read(_buffer, at, _length - at, ControlDirection.Downlink) == ProtocolError.None && Reader.Message is Config;
        }

        if (isConfig)
        {
            Volatile.Write(ref _servedAt, Stopwatch.GetTimestamp());
        }
    }

    private async Task KeepAliveAsync(Socket socket, CancellationToken connection)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(KeepAliveSeconds * 3 / 4), connection);
                await SendAsync(socket, [0xC0, 0], connection);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task SendAsync(Socket socket, byte[] packet, CancellationToken stopping)
    {
        await _sending.WaitAsync(stopping);
        try
        {
            await socket.SendAsync(packet, stopping);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Reads one packet, its body into the buffer; returns its first byte, or null when the connection closed.</summary>
    private async Task<int?> ReadPacketAsync(Socket socket, CancellationToken cancellation)
    {
        if (!await FillAsync(socket, 0, 1, cancellation))
        {
            return null;
        }

        var header = _buffer[0];
        var length = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (shift > 21 || !await FillAsync(socket, 0, 1, cancellation))
            {
                return null;
            }

            length |= (_buffer[0] & 0x7F) << shift;
            if ((_buffer[0] & 0x80) == 0)
            {
                break;
            }
        }

        if (length > _buffer.Length)
        {
            _buffer = new byte[length];
        }

        _length = length;
        return await FillAsync(socket, 0, length, cancellation) ? header : null;
    }

    private async Task<bool> FillAsync(Socket socket, int offset, int count, CancellationToken cancellation)
    {
        while (count > 0)
        {
            var read = await socket.ReceiveAsync(_buffer.AsMemory(offset, count), cancellation);
            if (read == 0)
            {
                return false;
            }

            offset += read;
            count -= read;
        }

        return true;
    }

    private static byte[] ConnectPacket(string id, string secret)
    {
        // User name, password, will retained at QoS 1, clean session off: the flags of the device's M2Mqtt CONNECT.
        var body = new List<byte> { 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 0xEC, 0, KeepAliveSeconds };
        foreach (var field in new[] { Encoding.UTF8.GetBytes(id), Encoding.UTF8.GetBytes(Topics.UpState(id)), LastWill.ToBytes(), Encoding.UTF8.GetBytes(id),
                     Encoding.UTF8.GetBytes(secret) })
        {
            AddField(body, field);
        }

        return Packet(0x10, body);
    }

    private static byte[] SubscribePacket(string filter)
    {
        var body = new List<byte> { 0, 1 };
        AddField(body, Encoding.UTF8.GetBytes(filter));
        body.Add(1);
        return Packet(0x82, body);
    }

    private static byte[] StatePacket(string topic)
    {
        var body = new List<byte>();
        AddField(body, Encoding.UTF8.GetBytes(topic));
        body.AddRange([0, 2]);
        body.AddRange(new BadgeState { Status = BadgeStatus.Idle, Firmware = "storm" }.ToBytes());
        return Packet(0x33, body);
    }

    private static void AddField(List<byte> body, byte[] field)
    {
        body.Add((byte)(field.Length >> 8));
        body.Add((byte)field.Length);
        body.AddRange(field);
    }

    private static byte[] Packet(byte header, List<byte> body)
    {
        var packet = new List<byte> { header };
        var length = body.Count;
        do
        {
            var digit = (byte)(length & 0x7F);
            length >>= 7;
            packet.Add(length > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (length > 0);

        packet.AddRange(body);
        return [.. packet];
    }
}
