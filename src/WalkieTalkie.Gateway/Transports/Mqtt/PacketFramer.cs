using MQTTnet.Exceptions;

namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>
/// Splits what a connection delivers into whole MQTT packets, with no I/O of its own: the caller reads into
/// <see cref="Space"/> as much as the connection holds, says how much (<see cref="Filled"/>), and takes the packets that
/// are complete (<see cref="TryNext"/>). One read takes an audio frame's whole PUBLISH (and any that came with it), where
/// MQTTnet's channel adapter reads a packet in three or four: its first two bytes, one read per further byte of its
/// length, then its body into an array of its own. A packet announcing more than
/// <paramref name="maxRemainingLength"/> bytes is refused as soon as its length is read (<paramref name="refused"/> is
/// told, and <see cref="TryNext"/> throws an <see cref="IOException"/>), as <see cref="PacketSizeLimit"/> refuses it
/// before login; a length running past four bytes throws MQTTnet's protocol violation, as its adapter does.
/// The buffer is made at the first read (1 KB) and grows, once, to hold the largest packet allowed if one that large comes.
/// </summary>
public sealed class PacketFramer(int maxRemainingLength, Action<long> refused)
{
    private const int LongestHeader = 1 + 4;
    private byte[] _buffer = []; // made at the first read: a connection that never logs in costs nothing here
    private int _start;
    private int _end;

    /// <summary>The bytes the packets' offsets point into; valid until the next <see cref="Space"/>.</summary>
    public byte[] Buffer => _buffer;

    /// <summary>Where the next read goes: after what is buffered, with room for at least the rest of the packet begun.</summary>
    public Memory<byte> Space()
    {
        if (_buffer.Length == 0)
        {
            _buffer = new byte[Math.Min(1024, LongestHeader + maxRemainingLength)];
        }

        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_start > 0 && (_end == _buffer.Length || Needed() > _buffer.Length - _start))
        {
            // A packet split across reads, near the end: moved to the front (one packet's bytes at most, and rare).
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length || Needed() > _buffer.Length)
        {
            Array.Resize(ref _buffer, LongestHeader + maxRemainingLength);
        }

        return _buffer.AsMemory(_end);
    }

    /// <summary><paramref name="count"/> bytes were read into <see cref="Space"/>.</summary>
    public void Filled(int count) => _end += count;

    /// <summary>The next whole packet buffered, if there is one; throws at a packet that is too large or malformed.</summary>
    public bool TryNext(out FramedPacket packet)
    {
        packet = default;
        if (!TryReadLength(out var headerLength, out var remaining) || _end - _start < headerLength + remaining)
        {
            return false;
        }

        packet = new FramedPacket(_buffer[_start], _start + headerLength, remaining, headerLength + remaining);
        _start += headerLength + remaining;
        return true;
    }

    // The whole length of the packet begun at _start, or just its longest header while its length is not yet read.
    private int Needed() => TryReadLength(out var headerLength, out var remaining) ? headerLength + remaining : LongestHeader;

    private bool TryReadLength(out int headerLength, out int remaining)
    {
        headerLength = 0;
        remaining = 0;
        var multiplier = 1;
        for (var at = _start + 1; at < _end; at++)
        {
            var digit = _buffer[at];
            remaining += (digit & 0x7F) * multiplier;
            if ((digit & 0x80) == 0)
            {
                if (remaining > maxRemainingLength)
                {
                    refused(remaining);
                    throw new IOException($"an MQTT packet of {remaining} bytes was announced; the limit is {maxRemainingLength}");
                }

                headerLength = at - _start + 1;
                return true;
            }

            if (at - _start == 4)
            {
                throw new MqttProtocolViolationException("Remaining length is invalid.");
            }

            multiplier *= 128;
        }

        return false;
    }
}
