using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Channel;

namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>
/// Hands each MQTT packet to the connection in one write. MQTTnet's channel adapter writes a packet with a payload as
/// two: its fixed header, variable header and topic (not the end of the packet), then the payload (the end). On a
/// socket with Nagle off each write leaves as its own TCP segment, and under TLS as its own record: every audio frame
/// to a listener cost a second set of TCP/IP (and TLS) headers. Here the writes before the end of a packet are kept in
/// a buffer owned by the connection and sent with the last one. The adapter writes one packet at a time (it holds its
/// send lock across both writes), so the buffer needs no lock; it grows to the largest packet seen and is then reused.
/// </summary>
public sealed class WholePacketChannel(IMqttChannel inner) : IMqttChannel
{
    private byte[] _pending = new byte[1024];
    private int _length;

    public X509Certificate2 ClientCertificate => inner.ClientCertificate;

    public EndPoint RemoteEndPoint => inner.RemoteEndPoint;

    public EndPoint LocalEndPoint => inner.LocalEndPoint;

    public bool IsSecureConnection => inner.IsSecureConnection;

    public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

    public Task DisconnectAsync(CancellationToken cancellationToken) => inner.DisconnectAsync(cancellationToken);

    public Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken)
    {
        if (_length == 0 && isEndOfPacket)
        {
            return inner.WriteAsync(buffer, isEndOfPacket: true, cancellationToken);
        }

        Keep(buffer);
        if (!isEndOfPacket)
        {
            return Task.CompletedTask;
        }

        var whole = new ReadOnlySequence<byte>(_pending, 0, _length);
        _length = 0;
        return inner.WriteAsync(whole, isEndOfPacket: true, cancellationToken);
    }

    public void Dispose() => inner.Dispose();

    private void Keep(ReadOnlySequence<byte> buffer)
    {
        var needed = _length + (int)buffer.Length;
        if (needed > _pending.Length)
        {
            Array.Resize(ref _pending, Math.Max(needed, 2 * _pending.Length));
        }

        buffer.CopyTo(_pending.AsSpan(_length));
        _length = needed;
    }
}
