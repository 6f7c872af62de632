namespace WalkieTalkie.Matrix.Crypto.Json;

/// <summary>Orders strings by Unicode code point, as canonical JSON requires. <see cref="StringComparer.Ordinal"/>
/// compares UTF-16 units, which puts astral characters (surrogates D800–DFFF) before U+E000–U+FFFF.</summary>
public sealed class CodePointComparer : IComparer<string>
{
    /// <summary>The shared instance.</summary>
    public static readonly CodePointComparer Instance = new();

    /// <inheritdoc />
    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        var a = x.EnumerateRunes();
        var b = y.EnumerateRunes();
        while (true)
        {
            var hasA = a.MoveNext();
            var hasB = b.MoveNext();
            if (!hasA || !hasB)
            {
                return hasA == hasB ? 0 : hasA ? 1 : -1;
            }

            var diff = a.Current.Value.CompareTo(b.Current.Value);
            if (diff != 0)
            {
                return diff;
            }
        }
    }
}
