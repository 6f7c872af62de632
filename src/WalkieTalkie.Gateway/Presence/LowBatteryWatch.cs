namespace WalkieTalkie.Gateway.Presence;

/// <summary>
/// Raises a badge's low-battery alert once per discharge: at the first reading at or below the threshold, and again
/// only after the battery was charged back to the threshold plus a margin, so readings that wobble around the
/// threshold do not alert twice. Plain and single-threaded (the engine's loop); forgotten at a restart.
/// </summary>
public sealed class LowBatteryWatch(int thresholdPercent, int rearmMarginPercent = 10)
{
    private readonly HashSet<string> _alerted = new(StringComparer.Ordinal);

    /// <summary>Takes a reading (0-100; anything else is unknown and ignored); true when it raises the alert.</summary>
    public bool ShouldAlert(string badgeId, int percent)
    {
        if (percent is < 0 or > 100)
        {
            return false;
        }

        if (percent <= thresholdPercent)
        {
            return _alerted.Add(badgeId);
        }

        if (percent >= thresholdPercent + rearmMarginPercent)
        {
            _alerted.Remove(badgeId);
        }

        return false;
    }
}
