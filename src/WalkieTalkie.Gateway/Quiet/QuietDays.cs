using System.Globalization;

namespace WalkieTalkie.Gateway.Quiet;

/// <summary>A set of weekdays, one bit per <see cref="DayOfWeek"/>; written as "mon-fri", "sat,sun" or "daily".</summary>
public readonly record struct QuietDays(int Mask)
{
    private static readonly string[] Names = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public bool Contains(DayOfWeek day) => (Mask & (1 << (int)day)) != 0;

    /// <summary>Reads "daily", a day ("mon"), a range ("mon-fri", "fri-mon" wraps) or a comma list of those.</summary>
    /// <exception cref="FormatException">Anything else.</exception>
    public static QuietDays Parse(string text)
    {
        var trimmed = text.Trim().ToLowerInvariant();
        if (trimmed is "daily" or "all")
        {
            return new QuietDays(0x7F);
        }

        var mask = 0;
        foreach (var part in trimmed.Split(','))
        {
            var range = part.Trim().Split('-');
            if (range.Length > 2)
            {
                throw new FormatException($"'{part}' is not a day or a range of days");
            }

            var first = Day(range[0]);
            var last = range.Length == 2 ? Day(range[1]) : first;
            for (var d = first; ; d = (d + 1) % 7)
            {
                mask |= 1 << d;
                if (d == last)
                {
                    break;
                }
            }
        }

        return new QuietDays(mask);
    }

    private static int Day(string name)
    {
        var index = Array.IndexOf(Names, name.Trim());
        return index >= 0 ? index : throw new FormatException($"'{name}' is not a day (mon, tue, wed, thu, fri, sat, sun)");
    }

    public override string ToString()
    {
        if (Mask == 0x7F)
        {
            return "daily";
        }

        var days = new List<string>();
        for (var d = 0; d < 7; d++)
        {
            if ((Mask & (1 << ((d + 1) % 7))) != 0)
            {
                days.Add(Names[(d + 1) % 7]);
            }
        }

        return string.Join(",", days);
    }

    /// <summary>The stored form.</summary>
    public string ToStorage() => Mask.ToString(CultureInfo.InvariantCulture);
}
