namespace WalkieTalkie.Bridge.Events;

/// <summary>A room event that was refused: the rule it broke, the content key concerned (if any), and a sentence to log.</summary>
/// <param name="Code">The broken rule.</param>
/// <param name="Message">What is wrong, for a log line; quotes hostile values only after trimming them.</param>
/// <param name="Field">The content key concerned, or null.</param>
public sealed record EventRejection(RejectionCode Code, string Message, string? Field = null)
{
    /// <inheritdoc />
    public override string ToString() => Field is null ? $"{Code}: {Message}" : $"{Code} ({Field}): {Message}";

    /// <summary>Trims a hostile value for a log line, so a megabyte state key does not flood the log.</summary>
    internal static string Quote(string value)
    {
        const int max = 80;
        var shown = value.Length <= max ? value : value[..max] + "…";
        var clean = new System.Text.StringBuilder(shown.Length + 2).Append('"');
        foreach (var c in shown)
        {
            clean.Append(char.IsControl(c) ? '?' : c);
        }

        return clean.Append('"').ToString();
    }
}
