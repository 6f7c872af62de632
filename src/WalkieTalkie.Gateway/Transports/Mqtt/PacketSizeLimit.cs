namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>
/// A client's stream read through an MQTT framing check: each packet's announced length (the fixed header's
/// remaining length) is read as it passes, and a packet announcing more than <see cref="MqttLimits.MaxPacketBytes"/>
/// fails the read that carries its header, before MQTTnet (which reserves the whole announced body at once) sees it.
/// Writes pass through.
/// </summary>
public sealed class PacketSizeLimit(Stream inner, int maxRemainingLength, Action<long> refused) : Stream
{
    private enum Part
    {
        Type,
        Length,
        Body,
    }

    private Part _part = Part.Type;
    private long _remaining;
    private long _multiplier;
    private int _lengthBytes;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Check(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override int Read(Span<byte> buffer) => Check(buffer[..inner.Read(buffer)]);

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Check(buffer.AsSpan(offset, await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        return Check(buffer.Span[..read]);
    }

    /// <summary>Follows the framing over <paramref name="bytes"/>; returns their count, or throws at a packet too large.</summary>
    private int Check(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            switch (_part)
            {
                case Part.Type:
                    _part = Part.Length;
                    _remaining = 0;
                    _multiplier = 1;
                    _lengthBytes = 0;
                    i++;
                    break;
                case Part.Length:
                    var digit = bytes[i++];
                    _remaining += (digit & 0x7F) * _multiplier;
                    _multiplier *= 128;
                    _lengthBytes++;
                    if ((digit & 0x80) != 0)
                    {
                        if (_lengthBytes == 4)
                        {
                            throw new IOException("an MQTT packet's remaining length runs past four bytes");
                        }

                        break;
                    }

                    // The whole length is known (at most four bytes): the body has not been asked for yet.
                    if (_remaining > maxRemainingLength)
                    {
                        refused(_remaining);
                        throw new IOException($"an MQTT packet of {_remaining} bytes was announced; the limit is {maxRemainingLength}");
                    }

                    _part = _remaining == 0 ? Part.Type : Part.Body;
                    break;
                default:
                    var skip = (int)Math.Min(_remaining, bytes.Length - i);
                    i += skip;
                    _remaining -= skip;
                    if (_remaining == 0)
                    {
                        _part = Part.Type;
                    }

                    break;
            }
        }

        return bytes.Length;
    }

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}
