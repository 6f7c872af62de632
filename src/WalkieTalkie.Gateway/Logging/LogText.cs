using System.Text;

namespace WalkieTalkie.Gateway.Logging;

/// <summary>
/// What a client sent, made safe for a log line: control and other invisible characters escaped as <c>\uXXXX</c>, and
/// cut at 64 characters, so a hostile name can neither forge a log line nor flood it.
/// </summary>
public static class LogText
{
    public const int MaxLength = 64;

    public static string Escape(string? text)
    {
        if (text is null)
        {
            return "(none)";
        }

        var builder = new StringBuilder(Math.Min(text.Length, MaxLength) + 8);
        foreach (var c in text.Length > MaxLength ? text[..MaxLength] : text)
        {
            if (char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' or '\u200e' or '\u200f' or '\u202a' or '\u202b' or '\u202c' or '\u202d' or '\u202e')
            {
                builder.Append("\\u").Append(((int)c).ToString("x4"));
            }
            else
            {
                builder.Append(c);
            }
        }

        return text.Length > MaxLength ? builder.Append('…').ToString() : builder.ToString();
    }
}
