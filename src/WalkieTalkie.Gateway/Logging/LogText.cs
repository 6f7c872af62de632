using System.Globalization;
using System.Text;

namespace WalkieTalkie.Gateway.Logging;

/// <summary>
/// Client-supplied text (a client id, a user name, a topic, a URL) made safe for a log line: every control character
/// (C0, DEL, C1), line and paragraph separator and bidirectional or other format character is written as an escape
/// (<c>\r</c>, <c>\n</c>, <c>\t</c>, <c>\x1B</c>, <c>\u2028</c>), and a backslash as <c>\\</c>, so a client can neither
/// forge log lines nor drive the terminal that shows them; text longer than <see cref="MaxLength"/> is cut and says so.
/// </summary>
public static class LogText
{
    /// <summary>The most characters of one value that reach a log line.</summary>
    public const int MaxLength = 200;

    public static string Escape(string? text)
    {
        if (text is null)
        {
            return "(none)";
        }

        var shown = text.Length > MaxLength ? text[..MaxLength] : text;
        if (!NeedsEscaping(shown) && shown.Length == text.Length)
        {
            return text;
        }

        var escaped = new StringBuilder(shown.Length + 16);
        foreach (var c in shown)
        {
            switch (c)
            {
                case '\\':
                    escaped.Append(@"\\");
                    break;
                case '\r':
                    escaped.Append(@"\r");
                    break;
                case '\n':
                    escaped.Append(@"\n");
                    break;
                case '\t':
                    escaped.Append(@"\t");
                    break;
                default:
                    if (c <= 0xFF && IsUnsafe(c))
                    {
                        escaped.Append(@"\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
                    }
                    else if (IsUnsafe(c))
                    {
                        escaped.Append(@"\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        escaped.Append(c);
                    }

                    break;
            }
        }

        if (shown.Length < text.Length)
        {
            escaped.Append("...(").Append(text.Length.ToString(CultureInfo.InvariantCulture)).Append(" characters)");
        }

        return escaped.ToString();
    }

    private static bool NeedsEscaping(string text)
    {
        foreach (var c in text)
        {
            if (c == '\\' || IsUnsafe(c))
            {
                return true;
            }
        }

        return false;
    }

    // Control characters, separators that end a line, format characters (bidirectional overrides, zero-width ones) and
    // lone surrogates.
    private static bool IsUnsafe(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.LineSeparator
        or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Format or UnicodeCategory.Surrogate;
}
