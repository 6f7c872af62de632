using System.Globalization;
using Microsoft.Extensions.Primitives;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Web.Console;

/// <summary>The console API's query parameters, read strictly: a value that is not what it should be is a clear 400, never a guess.</summary>
public static class ConsoleQuery
{
    /// <summary>The largest page number the floor log takes (the store keeps the last 500 decisions).</summary>
    public const int MaxPage = 1000;

    /// <summary>The widest time zone offset a browser reports, in minutes.</summary>
    public const int MaxOffsetMinutes = 14 * 60;

    public static bool TryChannel(StringValues value, out byte? channel, out string? error)
    {
        channel = null;
        error = null;
        if (StringValues.IsNullOrEmpty(value))
        {
            return true;
        }

        if (byte.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            channel = number;
            return true;
        }

        error = $"channel must be a number 0-255, not '{Shorten(value)}'";
        return false;
    }

    public static bool TryKind(StringValues value, out FloorKind? kind, out string? error)
    {
        kind = null;
        error = null;
        if (StringValues.IsNullOrEmpty(value))
        {
            return true;
        }

        if (Enum.TryParse<FloorKind>(value.ToString(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(value.ToString()[0]))
        {
            kind = parsed;
            return true;
        }

        error = $"kind must be one of {string.Join(", ", Enum.GetNames<FloorKind>().Select(n => n.ToLowerInvariant()))}, not '{Shorten(value)}'";
        return false;
    }

    /// <summary>A time as Unix milliseconds (what the pages send).</summary>
    public static bool TryMs(StringValues value, string name, out long? ms, out string? error)
    {
        ms = null;
        error = null;
        if (StringValues.IsNullOrEmpty(value))
        {
            return true;
        }

        if (long.TryParse(value.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            ms = parsed;
            return true;
        }

        error = $"{name} must be a time in Unix milliseconds, not '{Shorten(value)}'";
        return false;
    }

    public static bool TryPage(StringValues value, out int page, out string? error)
    {
        page = 0;
        error = null;
        if (StringValues.IsNullOrEmpty(value))
        {
            return true;
        }

        if (int.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out page) && page <= MaxPage)
        {
            return true;
        }

        error = $"page must be a number 0-{MaxPage}, not '{Shorten(value)}'";
        return false;
    }

    /// <summary>A day (<c>yyyy-MM-dd</c>, today when absent) in the browser's time zone (minutes east of UTC) as a Unix ms range.</summary>
    public static bool TryDay(StringValues day, StringValues offset, DateTimeOffset now, out (long From, long To, string Day) range, out string? error)
    {
        range = default;
        error = null;
        var minutes = 0;
        if (!StringValues.IsNullOrEmpty(offset)
            && !(int.TryParse(offset.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out minutes) && Math.Abs(minutes) <= MaxOffsetMinutes))
        {
            error = $"offset must be minutes east of UTC, -{MaxOffsetMinutes} to {MaxOffsetMinutes}, not '{Shorten(offset)}'";
            return false;
        }

        var zone = TimeSpan.FromMinutes(minutes);
        DateOnly date;
        if (StringValues.IsNullOrEmpty(day))
        {
            date = DateOnly.FromDateTime(now.ToOffset(zone).DateTime);
        }
        else if (!DateOnly.TryParseExact(day.ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            error = $"day must be a date yyyy-MM-dd, not '{Shorten(day)}'";
            return false;
        }

        var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), zone);
        range = (start.ToUnixTimeMilliseconds(), start.AddDays(1).ToUnixTimeMilliseconds(), date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>What the client sent, cut short for an error message.</summary>
    private static string Shorten(StringValues value)
    {
        var text = value.ToString();
        return text.Length <= 40 ? text : text[..40] + "…";
    }
}
