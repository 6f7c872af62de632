using System.Text;

namespace WalkieTalkie.Fuzz;

/// <summary>afl's dictionary format: one <c>"token"</c> per line, bytes outside printable ASCII (and <c>"</c>, <c>\</c>) as <c>\xNN</c>.</summary>
public static class AflDictionary
{
    public static IEnumerable<string> Lines(IEnumerable<string> tokens) => tokens.Select(token =>
    {
        var line = new StringBuilder("\"");
        foreach (var b in Encoding.UTF8.GetBytes(token))
        {
            line.Append(b is >= 0x20 and < 0x7F and not (byte)'"' and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:X2}");
        }

        return line.Append('"').ToString();
    });
}
