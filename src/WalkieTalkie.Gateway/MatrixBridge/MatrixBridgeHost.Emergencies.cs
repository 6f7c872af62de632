using System.Text.Json.Nodes;
using WalkieTalkie.Gateway.Engine;

namespace WalkieTalkie.Gateway.MatrixBridge;

// An emergency (SOS) becomes a message from the badge's account that notifies every member of the room of each
// linked channel it is linked in (m.mentions with room: true, and @room in the body for clients that predate
// intentional mentions); its audio follows as a voice message by the normal burst path. A cancel is an m.notice.
public sealed partial class MatrixBridgeHost
{
    private EngineReportQueue<(EmergencyInfo? Opened, string BadgeId, string ClosedBy, long AtMs)>? _emergencyReports;

    // Handed over through the shared database instead when several gateways share it (MatrixBridgeHost.HandedOver.cs).
    void IGatewayObserver.OnEmergencyOpened(EmergencyInfo emergency)
    {
        if (!ReportsHandedOver)
        {
            _emergencyReports?.Post((emergency, emergency.BadgeId, "", emergency.OpenedAt.ToUnixTimeMilliseconds()));
        }
    }

    void IGatewayObserver.OnEmergencyClosed(string badgeId, string by)
    {
        if (!ReportsHandedOver)
        {
            _emergencyReports?.Post((null, badgeId, by, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        }
    }

    /// <summary>The alert's text: the badge, its zone (when known) and its battery (when known).</summary>
    public static string EmergencyText(string badgeName, string zone, int batteryPercent)
    {
        var where = zone == "" ? "" : $" in zone {zone}";
        var battery = batteryPercent is >= 0 and <= 100 ? $", battery {batteryPercent} %" : "";
        return $"@room SOS: {badgeName}'s badge raised an emergency{where}{battery}";
    }

    public static string EmergencyClosedText(string badgeName, string by) =>
        $"The emergency of {badgeName}'s badge was cancelled by {(by == "admin" ? "an admin" : "the badge")}";

    private void StartEmergencyMessages()
    {
        _emergencyReports = new EngineReportQueue<(EmergencyInfo?, string, string, long)>("emergency message", _logger);
        _emergencyReports.Start((report, ct) => SendEmergencyMessagesAsync(report.Opened, report.BadgeId, report.ClosedBy, report.AtMs, ct), _stop.Token);
    }

    // The messages' transaction ids are keyed by the report (when it opened, or when its close was reported), not by when
    // it is handled: a report handled twice (handed over, and its bridge stopped before it was marked done) is queued once
    // in the badge's outbox, which holds a transaction id once, and the homeserver takes it once per device.
    private async Task SendEmergencyMessagesAsync(EmergencyInfo? opened, string badgeId, string closedBy, long at, CancellationToken ct)
    {
        var link = _stores.Links.Badges().FirstOrDefault(b => b.BadgeId == badgeId);
        if (link is null || Devices.Find(link.UserId) is not { } device)
        {
            return;
        }

        var name = _stores.Registry.Load().Badge(badgeId)?.Name ?? badgeId;
        // Posted late (it waited for a bridge, or for the homeserver): the body says when it happened.
        var late = EngineReportAges.LateMark(at, DateTimeOffset.UtcNow, TimeZoneInfo.Local);
        foreach (var channel in _stores.Links.Channels())
        {
            if (!_stores.Links.BadgesOf(channel.Channel).Any(b => b.BadgeId == badgeId))
            {
                continue;
            }

            var content = opened is null
                ? new JsonObject { ["msgtype"] = "m.notice", ["body"] = EmergencyClosedText(name, closedBy) + late }
                : new JsonObject
                {
                    ["msgtype"] = "m.text",
                    ["body"] = EmergencyText(name, opened.Zone, opened.BatteryPercent) + late,
                    ["m.mentions"] = new JsonObject { ["room"] = true },
                };
            var kind = opened is null ? "closed" : "opened";
            await device.SendAsync(channel.RoomId, "m.room.message", content, $"emergency-{kind}-{badgeId}-{channel.Channel}-{at}", ct);
        }
    }
}
