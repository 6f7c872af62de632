using System.Buffers.Binary;
using System.Text;

namespace WalkieTalkie.Matrix.Crypto.Storage;

/// <summary>Writes crypto state as a compact binary record: fixed-width big-endian integers, length-prefixed bytes and strings.</summary>
internal sealed class StateWriter
{
    private readonly List<byte> _output = new();

    public StateWriter(StateKind kind)
    {
        _output.Add((byte)kind);
        _output.Add(StateFormat.Version);
    }

    public void Bool(bool value) => _output.Add(value ? (byte)1 : (byte)0);

    public void UInt32(uint value)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(buffer, value);
        _output.AddRange(buffer);
    }

    public void UInt64(ulong value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(buffer, value);
        _output.AddRange(buffer);
    }

    public void Int64(long value) => UInt64((ulong)value);

    public void Time(DateTimeOffset value) => Int64(value.UtcTicks);

    public void Bytes(ReadOnlySpan<byte> value)
    {
        UInt32((uint)value.Length);
        _output.AddRange(value);
    }

    public void String(string value) => Bytes(Encoding.UTF8.GetBytes(value));

    public void Count(int count) => UInt32((uint)count);

    public byte[] ToArray() => _output.ToArray();
}
