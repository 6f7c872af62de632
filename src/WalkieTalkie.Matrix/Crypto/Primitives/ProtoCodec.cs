namespace WalkieTalkie.Matrix.Crypto.Primitives;

/// <summary>The protobuf subset Olm and Megolm messages use: LEB128 varints, tags <c>(field &lt;&lt; 3) | wire type</c>,
/// wire type 0 (varint) and 2 (length-delimited). Readers accept any field order and skip unknown fields.</summary>
internal static class ProtoCodec
{
    public const int VarintWire = 0;
    public const int BytesWire = 2;

    public static void WriteVarint(List<byte> output, ulong value)
    {
        while (value >= 0x80)
        {
            output.Add((byte)(value | 0x80));
            value >>= 7;
        }
        output.Add((byte)value);
    }

    public static void WriteVarintField(List<byte> output, int field, ulong value)
    {
        output.Add((byte)((field << 3) | VarintWire));
        WriteVarint(output, value);
    }

    public static void WriteBytesField(List<byte> output, int field, ReadOnlySpan<byte> value)
    {
        output.Add((byte)((field << 3) | BytesWire));
        WriteVarint(output, (ulong)value.Length);
        output.AddRange(value);
    }

    /// <summary>Reads a varint of at most 10 bytes that fits 64 bits.</summary>
    public static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length)
            {
                throw Malformed("truncated varint");
            }

            var b = data[position++];
            if (shift == 63 && b > 1)
            {
                throw Malformed("varint overflows 64 bits");
            }

            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        throw Malformed("varint longer than 10 bytes");
    }

    /// <summary>Walks the fields of a message body, calling <paramref name="onField"/> for each
    /// (field number, varint value or 0, bytes or empty).</summary>
    public static void ReadFields(ReadOnlySpan<byte> data, FieldHandler onField)
    {
        var position = 0;
        while (position < data.Length)
        {
            var tag = ReadVarint(data, ref position);
            var field = tag >> 3;
            if (field is 0 or > int.MaxValue)
            {
                throw Malformed("invalid field number");
            }

            switch ((int)(tag & 7))
            {
                case VarintWire:
                    onField((int)field, VarintWire, ReadVarint(data, ref position), default);
                    break;
                case BytesWire:
                    var length = ReadVarint(data, ref position);
                    if (length > (ulong)(data.Length - position))
                    {
                        throw Malformed("field longer than the message");
                    }

                    onField((int)field, BytesWire, 0, data.Slice(position, (int)length));
                    position += (int)length;
                    break;
                default:
                    throw Malformed("unsupported protobuf wire type");
            }
        }
    }

    public delegate void FieldHandler(int field, int wireType, ulong varint, ReadOnlySpan<byte> bytes);

    /// <summary>Refuses a known field sent with the wrong wire type.</summary>
    public static void Expect(int wireType, int expected, int field)
    {
        if (wireType != expected)
        {
            throw Malformed($"field {field} has the wrong wire type");
        }
    }

    public static uint ToUInt32(ulong value, string what) =>
        value <= uint.MaxValue ? (uint)value : throw Malformed($"{what} exceeds 32 bits");

    public static MatrixCryptoException Malformed(string why) => new(CryptoError.MalformedMessage, why);
}
