namespace WalkieTalkie.Gateway.Quiet;

/// <summary>
/// Who plays nothing when: the quiet-hours schedules and the badges in do-not-disturb, as of one registry snapshot.
/// A quiet badge still talks; what it would have heard waits in its unplayed queue. A burst that is always heard
/// (a priority "override" talker; an emergency) plays through.
/// </summary>
public sealed class QuietRules(IReadOnlyList<QuietSchedule> schedules, IReadOnlySet<string> doNotDisturb)
{
    public static readonly QuietRules None = new([], new HashSet<string>());

    public IReadOnlyList<QuietSchedule> Schedules { get; } = schedules;

    public IReadOnlySet<string> DoNotDisturb { get; } = doNotDisturb;

    /// <summary>True when <paramref name="badgeId"/> plays nothing from <paramref name="channel"/> at <paramref name="now"/>.</summary>
    public bool IsQuiet(string badgeId, byte channel, DateTimeOffset now)
    {
        return DoNotDisturb.Contains(badgeId) || InQuietHours(badgeId, channel, now);
    }

    /// <summary>True when a quiet-hours window covers <paramref name="badgeId"/> on <paramref name="channel"/> at <paramref name="now"/> (do-not-disturb aside).</summary>
    public bool InQuietHours(string badgeId, byte channel, DateTimeOffset now)
    {
        foreach (var schedule in Schedules)
        {
            if (schedule.Covers(badgeId, channel) && schedule.IsActive(now))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when a burst waits for the badge instead of playing: quiet, and not one that is always heard.</summary>
    public bool Holds(string badgeId, byte channel, bool alwaysHeard, DateTimeOffset now) => !alwaysHeard && IsQuiet(badgeId, channel, now);
}
