using WalkieTalkie.Gateway.Quiet;

namespace WalkieTalkie.Gateway.Storage;

/// <summary>What a quiet-hours schedule must be before a store keeps it, and how its times are kept (minutes of the day).</summary>
public static class QuietScheduleValues
{
    /// <exception cref="RegistryException">No window, no day, or a time zone this machine does not know.</exception>
    public static void Check(QuietDays days, TimeOnly start, TimeOnly end, string timeZoneId)
    {
        if (start == end)
        {
            throw new RegistryException("quiet hours need a window: the start and the end are the same time");
        }

        if (days.Mask == 0)
        {
            throw new RegistryException("quiet hours need at least one day");
        }

        QuietTimeZones.Find(timeZoneId);
    }

    public static int Minutes(TimeOnly time) => time.Hour * 60 + time.Minute;

    public static TimeOnly FromMinutes(long minutes) => new((int)(minutes / 60), (int)(minutes % 60));
}
