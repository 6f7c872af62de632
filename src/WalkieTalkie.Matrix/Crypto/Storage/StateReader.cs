using System.Buffers.Binary;
using System.Text;

namespace WalkieTalkie.Matrix.Crypto.Storage;

/// <summary>Reads what <see cref="StateWriter"/> wrote; anything truncated, oversized or of another kind or
/// version is <see cref="CryptoError.CorruptState"/>.</summary>
internal sealed class StateReader
{
    private readonly byte[] _data;
    private int _position;

    public StateReader(byte[] data, StateKind expected)
    {
        _data = data;
        if (data.Length < 2 || data[0] != (byte)expected)
        {
            throw Corrupt($"not a saved {expected}");
        }

        if (data[1] != StateFormat.Version)
        {
            throw Corrupt($"saved state version {data[1]} is not supported");
        }

        _position = 2;
    }

    public bool Bool() => Take(1)[0] switch
    {
        0 => false,
        1 => true,
        _ => throw Corrupt("invalid boolean"),
    };

    public uint UInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));
    public ulong UInt64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8));
    public long Int64() => (long)UInt64();

    public DateTimeOffset Time()
    {
        var ticks = Int64();
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            throw Corrupt("invalid time");
        }

        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    public byte[] Bytes() => Take(Length()).ToArray();

    public byte[] Bytes(int expectedLength)
    {
        var bytes = Bytes();
        return bytes.Length == expectedLength ? bytes : throw Corrupt($"expected {expectedLength} bytes");
    }

    public string String()
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(Take(Length()));
        }
        catch (DecoderFallbackException)
        {
            throw Corrupt("invalid UTF-8");
        }
    }

    public int Count(int max)
    {
        var count = UInt32();
        return count <= (uint)max ? (int)count : throw Corrupt("too many entries");
    }

    public void End()
    {
        if (_position != _data.Length)
        {
            throw Corrupt("trailing bytes");
        }
    }

    private int Length()
    {
        var length = UInt32();
        return length <= (uint)(_data.Length - _position) ? (int)length : throw Corrupt("length beyond the end");
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position)
        {
            throw Corrupt("truncated");
        }

        var span = _data.AsSpan(_position, count);
        _position += count;
        return span;
    }

    public static MatrixCryptoException Corrupt(string why) => new(CryptoError.CorruptState, "saved crypto state is corrupt: " + why);
}
