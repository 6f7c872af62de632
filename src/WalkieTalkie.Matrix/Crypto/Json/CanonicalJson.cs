using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WalkieTalkie.Matrix.Crypto.Json;

/// <summary>Matrix canonical JSON (spec appendix "Canonical JSON"): object keys sorted by code point, no
/// whitespace, UTF-8, only <c>"</c>, <c>\</c> and C0 controls escaped (short forms for \b \t \n \f \r,
/// <c>\u00xx</c> lowercase otherwise), integers only within ±(2^53−1). Written by hand because
/// System.Text.Json escapes <c>+</c>, U+2028 and astral characters, which breaks signatures.</summary>
public static class CanonicalJson
{
    /// <summary>The largest integer canonical JSON allows (2^53−1).</summary>
    public const long MaxSafeInteger = 9007199254740991;

    /// <summary>Canonical UTF-8 bytes of a node (<c>null</c> is the JSON literal).</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.InvalidJson"/> for floats, out-of-range
    /// integers, strings or keys with lone surrogates (in parsed JSON also escaped ones and invalid UTF-8) and parsed objects that
    /// repeat a key.</exception>
    public static byte[] Serialize(JsonNode? node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(node, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Canonical JSON as a string.</summary>
    public static string SerializeToString(JsonNode? node) => Encoding.UTF8.GetString(Serialize(node));

    private static void Write(JsonNode? node, ArrayBufferWriter<byte> output)
    {
        switch (node)
        {
            case null:
                WriteAscii("null", output);
                break;
            case JsonObject obj:
                output.Write("{"u8);
                var first = true;
                foreach (var property in JsonRead.Parsed(() => obj.OrderBy(p => p.Key, CodePointComparer.Instance).ToList()))
                {
                    if (!first)
                    {
                        output.Write(","u8);
                    }

                    first = false;
                    WriteString(property.Key, output);
                    output.Write(":"u8);
                    Write(property.Value, output);
                }
                output.Write("}"u8);
                break;
            case JsonArray array:
                output.Write("["u8);
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        output.Write(","u8);
                    }

                    Write(array[i], output);
                }
                output.Write("]"u8);
                break;
            case JsonValue value:
                WriteValue(value, output);
                break;
            default:
                throw Invalid("unknown JSON node");
        }
    }

    private static void WriteValue(JsonValue value, ArrayBufferWriter<byte> output)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(JsonRead.Parsed(value.GetValue<string>), output);
                break;
            case JsonValueKind.True:
                WriteAscii("true", output);
                break;
            case JsonValueKind.False:
                WriteAscii("false", output);
                break;
            case JsonValueKind.Null:
                WriteAscii("null", output);
                break;
            case JsonValueKind.Number:
                WriteAscii(IntegerOf(value).ToString(CultureInfo.InvariantCulture), output);
                break;
            default:
                throw Invalid("unsupported JSON value");
        }
    }

    private static long IntegerOf(JsonValue value)
    {
        long integer;
        if (value.TryGetValue(out JsonElement element))
        {
            // "1e10" and "-0" are integers written unusually; the spec's examples normalise them.
            if (!element.TryGetInt64(out integer))
            {
                integer = element.TryGetDecimal(out var d) ? IntegralOrThrow(d) : throw Invalid("canonical JSON allows integers only");
            }
        }
        else if (value.TryGetValue(out long l))
        {
            integer = l;
        }
        else if (value.TryGetValue(out int i))
        {
            integer = i;
        }
        else if (value.TryGetValue(out uint ui))
        {
            integer = ui;
        }
        else if (value.TryGetValue(out short s))
        {
            integer = s;
        }
        else if (value.TryGetValue(out ushort us))
        {
            integer = us;
        }
        else if (value.TryGetValue(out byte b))
        {
            integer = b;
        }
        else if (value.TryGetValue(out sbyte sb))
        {
            integer = sb;
        }
        else if (value.TryGetValue(out ulong ul) && ul <= MaxSafeInteger)
        {
            integer = (long)ul;
        }
        else if (value.TryGetValue(out double dbl) && double.IsFinite(dbl) && Math.Abs(dbl) <= MaxSafeInteger)
        {
            integer = IntegralOrThrow((decimal)dbl);
        }
        else if (value.TryGetValue(out decimal dec))
        {
            integer = IntegralOrThrow(dec);
        }
        else
        {
            throw Invalid("canonical JSON allows integers only");
        }

        if (integer is > MaxSafeInteger or < -MaxSafeInteger)
        {
            throw Invalid("integer outside ±(2^53−1)");
        }

        return integer;
    }

    private static long IntegralOrThrow(decimal value)
    {
        if (value != decimal.Truncate(value) || Math.Abs(value) > MaxSafeInteger)
        {
            throw Invalid("canonical JSON allows integers within ±(2^53−1) only");
        }

        return (long)value;
    }

    private static void WriteString(string text, ArrayBufferWriter<byte> output)
    {
        output.Write("\""u8);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '"': output.Write("\\\""u8); continue;
                case '\\': output.Write("\\\\"u8); continue;
                case '\b': output.Write("\\b"u8); continue;
                case '\t': output.Write("\\t"u8); continue;
                case '\n': output.Write("\\n"u8); continue;
                case '\f': output.Write("\\f"u8); continue;
                case '\r': output.Write("\\r"u8); continue;
            }
            if (c < 0x20)
            {
                WriteAscii("\\u00" + ((int)c).ToString("x2", CultureInfo.InvariantCulture), output);
                continue;
            }
            Rune rune;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                rune = new Rune(c, text[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw Invalid("string contains a lone surrogate");
            }
            else
            {
                rune = new Rune(c);
            }

            var written = rune.EncodeToUtf8(utf8);
            output.Write(utf8[..written]);
        }
        output.Write("\""u8);
    }

    private static void WriteAscii(string text, ArrayBufferWriter<byte> output) => output.Write(Encoding.ASCII.GetBytes(text));

    private static MatrixCryptoException Invalid(string why) => new(CryptoError.InvalidJson, why);
}
