using System.Globalization;
using WalkieTalkie.Gateway.Storage.Bridge;

namespace WalkieTalkie.Gateway.MatrixBridge;

/// <summary>
/// How old a handed-over engine report may be when the bridge reads it, by kind, for the people who read the room: a
/// report can wait in the shared table for as long as no gateway runs the bridge (the homeserver gone for days).
/// Presence and read receipts say what is true now, and a late one is wrong (the badge may have gone since): dropped
/// after minutes; the badge's next presence (written again at least once a minute while it is connected) puts it right.
/// A low battery is news for hours (someone should charge it), not days (it was charged, or ran flat): dropped after
/// <see cref="LowBatteryFor"/>, and posted with the time it happened when late. An emergency and its cancel are never
/// dropped (an SOS nobody saw must still be seen, with its time), nor a recorded burst (the voice message must reach
/// the room).
/// </summary>
public static class EngineReportAges
{
    /// <summary>How long a presence change or a played report (a read receipt) is worth posting.</summary>
    public static readonly TimeSpan StateFor = TimeSpan.FromMinutes(5);

    /// <summary>How long a low-battery report is worth posting.</summary>
    public static readonly TimeSpan LowBatteryFor = TimeSpan.FromHours(6);

    /// <summary>How late a posted report may be before its message says when it happened.</summary>
    public static readonly TimeSpan MarkedAfter = TimeSpan.FromMinutes(1);

    /// <summary>How long a report of this kind is worth posting; null: for ever.</summary>
    public static TimeSpan? KeptFor(string kind) => kind switch
    {
        EngineReportKinds.Presence or EngineReportKinds.Played => StateFor,
        EngineReportKinds.LowBattery => LowBatteryFor,
        _ => null,
    };

    /// <summary>Whether a report of this kind made at <paramref name="atMs"/> is too old to post at <paramref name="now"/>.</summary>
    public static bool IsStale(string kind, long atMs, DateTimeOffset now) =>
        KeptFor(kind) is { } kept && now.ToUnixTimeMilliseconds() - atMs > (long)kept.TotalMilliseconds;

    /// <summary>
    /// What a late message adds to its body: " (at 14:02)" in the gateway machine's time zone (a site has none of its
    /// own), or " (on 3 Dec at 14:02)" when it was another day; nothing when it is posted within <see cref="MarkedAfter"/>.
    /// </summary>
    public static string LateMark(long atMs, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (now.ToUnixTimeMilliseconds() - atMs <= (long)MarkedAfter.TotalMilliseconds)
        {
            return "";
        }

        var at = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(atMs), zone);
        var today = TimeZoneInfo.ConvertTime(now, zone);
        var time = at.ToString("HH:mm", CultureInfo.InvariantCulture);
        return at.Date == today.Date ? $" (at {time})" : $" (on {at.ToString("d MMM", CultureInfo.InvariantCulture)} at {time})";
    }
}
