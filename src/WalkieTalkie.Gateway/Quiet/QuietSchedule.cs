namespace WalkieTalkie.Gateway.Quiet;

/// <summary>
/// Quiet hours: on the given days, from <see cref="Start"/> to <see cref="End"/> in the wall-clock time of
/// <see cref="TimeZone"/>. A window whose end is before its start runs over midnight and belongs to the day it
/// starts on (Friday 22:00-06:00 is quiet until Saturday 06:00).
/// </summary>
public sealed record QuietSchedule(long Id, QuietScope Scope, string Target, QuietDays Days, TimeOnly Start, TimeOnly End, TimeZoneInfo TimeZone)
{
    /// <summary>True when <paramref name="now"/> falls in a window.</summary>
    public bool IsActive(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, TimeZone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var day = local.DayOfWeek;
        if (Start < End)
        {
            return Days.Contains(day) && time >= Start && time < End;
        }

        var yesterday = (DayOfWeek)(((int)day + 6) % 7);
        return (Days.Contains(day) && time >= Start) || (Days.Contains(yesterday) && time < End);
    }

    /// <summary>Whether the schedule covers this badge on this channel.</summary>
    public bool Covers(string badgeId, byte channel) => Scope == QuietScope.Badge
        ? Target == badgeId
        : Target == channel.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string Describe() =>
        $"{Days} {Start:HH\\:mm}-{End:HH\\:mm} {TimeZone.Id}";
}
