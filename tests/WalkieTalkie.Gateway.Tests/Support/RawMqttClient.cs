using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>
/// MQTT by hand over a TCP socket (optionally TLS), for what a well-behaved client library will not send: client ids
/// with control characters, packets that announce more bytes than they carry, connections that never say anything.
/// </summary>
public sealed class RawMqttClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private Stream _stream;

    private RawMqttClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>Opens a TCP connection (and nothing more) to <paramref name="address"/>:<paramref name="port"/>.</summary>
    public static async Task<RawMqttClient> OpenAsync(int port, IPAddress? address = null)
    {
        var tcp = new TcpClient(address?.AddressFamily ?? AddressFamily.InterNetwork);
        await tcp.ConnectAsync(address ?? IPAddress.Loopback, port);
        return new RawMqttClient(tcp);
    }

    /// <summary>Opens a TLS connection, trusting any server certificate (the handshake is what is tested here).</summary>
    public static async Task<RawMqttClient> OpenTlsAsync(int port)
    {
        var client = await OpenAsync(port);
        var tls = new SslStream(client._stream, false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" });
        client._stream = tls;
        return client;
    }

    /// <summary>Sends an MQTT 3.1.1 CONNECT and returns the CONNACK's return code (0 accepted), or null when the server closed.</summary>
    public async Task<int?> ConnectAsync(string clientId, string userName, string password, ushort keepAliveSeconds = 60)
    {
        var body = new List<byte>();
        body.AddRange([0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 0xC2, (byte)(keepAliveSeconds >> 8), (byte)keepAliveSeconds]);
        foreach (var field in new[] { clientId, userName, password })
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            body.Add((byte)(bytes.Length >> 8));
            body.Add((byte)bytes.Length);
            body.AddRange(bytes);
        }

        await SendAsync([0x10, .. RemainingLength(body.Count), .. body]);
        var connack = new byte[4];
        var read = 0;
        while (read < connack.Length)
        {
            int n;
            try
            {
                n = await _stream.ReadAsync(connack.AsMemory(read)).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (IOException)
            {
                return null;
            }

            if (n == 0)
            {
                return null;
            }

            read += n;
        }

        return connack[0] == 0x20 ? connack[3] : null;
    }

    /// <summary>The fixed header of a QoS 0 PUBLISH that announces <paramref name="remainingLength"/> bytes after it.</summary>
    public static byte[] PublishHeader(int remainingLength) => [0x30, .. RemainingLength(remainingLength)];

    /// <summary>A whole QoS 0 PUBLISH of MQTT 3.1.1, as a badge sends its audio.</summary>
    public static byte[] Publish(string topic, byte[] payload)
    {
        var name = Encoding.UTF8.GetBytes(topic);
        return [.. PublishHeader(2 + name.Length + payload.Length), (byte)(name.Length >> 8), (byte)name.Length, .. name, .. payload];
    }

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Sends what it can of <paramref name="bytes"/>; false when the server closed the connection meanwhile.</summary>
    public async Task<bool> TrySendAsync(byte[] bytes)
    {
        try
        {
            await SendAsync(bytes);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Whether the server closed the connection within <paramref name="timeout"/> (anything it sends is skipped).</summary>
    public async Task<bool> ClosedWithinAsync(TimeSpan timeout)
    {
        var buffer = new byte[1024];
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (await _stream.ReadAsync(buffer, cancel.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>An MQTT fixed header's remaining length: seven bits a byte, the high bit saying another follows.</summary>
    public static byte[] RemainingLength(int length)
    {
        var bytes = new List<byte>();
        do
        {
            var digit = (byte)(length % 128);
            length /= 128;
            bytes.Add(length > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (length > 0);

        return [.. bytes];
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _stream.DisposeAsync();
        }
        catch (IOException)
        {
        }

        _tcp.Dispose();
    }
}
