using System.Text.Json.Nodes;
using WalkieTalkie.Gateway.Engine;

namespace WalkieTalkie.Gateway.MatrixBridge;

// A badge's low-battery alert becomes an m.notice from its account in the room of each linked channel it is linked
// in, where the channel's admins (and everyone else in the room) see it.
public sealed partial class MatrixBridgeHost
{
    private EngineReportQueue<(string BadgeId, int Percent, long AtMs)>? _lowBatteryReports;

    void IGatewayObserver.OnLowBattery(string badgeId, int percent)
    {
        if (!ReportsHandedOver)
        {
            _lowBatteryReports?.Post((badgeId, percent, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        }
    }

    /// <summary>The notice's text: which badge, and how much is left.</summary>
    public static string LowBatteryText(string badgeName, int percent) => $"Battery low on {badgeName}'s badge: {percent} %";

    private void StartLowBatteryNotices()
    {
        _lowBatteryReports = new EngineReportQueue<(string, int, long)>("low-battery notice", _logger);
        _lowBatteryReports.Start((report, ct) => SendLowBatteryNoticesAsync(report.BadgeId, report.Percent, report.AtMs, ct), _stop.Token);
    }

    // Keyed by when the report was made, as the emergencies' messages are: a report handled twice is posted once.
    private async Task SendLowBatteryNoticesAsync(string badgeId, int percent, long raisedAt, CancellationToken ct)
    {
        var link = _stores.Links.Badges().FirstOrDefault(b => b.BadgeId == badgeId);
        if (link is null || Devices.Find(link.UserId) is not { } device)
        {
            return;
        }

        var name = _stores.Registry.Load().Badge(badgeId)?.Name ?? badgeId;
        var late = EngineReportAges.LateMark(raisedAt, DateTimeOffset.UtcNow, TimeZoneInfo.Local);
        foreach (var channel in _stores.Links.Channels())
        {
            if (_stores.Links.BadgesOf(channel.Channel).Any(b => b.BadgeId == badgeId))
            {
                var content = new JsonObject { ["msgtype"] = "m.notice", ["body"] = LowBatteryText(name, percent) + late };
                await device.SendAsync(channel.RoomId, "m.room.message", content, $"low-battery-{badgeId}-{channel.Channel}-{raisedAt}", ct);
            }
        }
    }
}
