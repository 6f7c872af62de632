using System.Text;
using System.Text.Json.Nodes;

namespace WalkieTalkie.TestHomeserver.Http;

/// <summary>
/// Canonical JSON (Matrix appendix "Signing JSON"): keys sorted by code point, no whitespace, only the mandatory
/// escapes. The fixture needs it to verify cross-signing signatures as Synapse does.
/// </summary>
internal static class CanonicalJson
{
    public static byte[] Encode(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(node, text);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void Write(JsonNode? node, StringBuilder text)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                text.Append('{');
                var first = true;
                // UTF-8 byte order equals code point order; UTF-16 ordinal order does not for astral characters.
                foreach (var (key, value) in obj.OrderBy(p => Encoding.UTF8.GetBytes(p.Key), ByteOrder.Instance))
                {
                    if (!first)
                    {
                        text.Append(',');
                    }

                    first = false;
                    WriteString(key, text);
                    text.Append(':');
                    Write(value, text);
                }
                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(',');
                    }

                    Write(array[i], text);
                }
                text.Append(']');
                break;
            case JsonValue value when value.TryGetValue<string>(out var s):
                WriteString(s, text);
                break;
            default:
                text.Append(node.ToJsonString()); // numbers and booleans
                break;
        }
    }

    private static void WriteString(string s, StringBuilder text)
    {
        text.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\t': text.Append("\\t"); break;
                case '\n': text.Append("\\n"); break;
                case '\f': text.Append("\\f"); break;
                case '\r': text.Append("\\r"); break;
                case < ' ': text.Append("\\u").Append(((int)c).ToString("x4")); break;
                default: text.Append(c); break;
            }
        }
        text.Append('"');
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
