using Microsoft.Extensions.Logging;
using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.MatrixBridge;

// What the bridge hears from the engine: a finished recording wakes the pump; a badge's played report becomes an
// m.read receipt from its account ("heard by"), through the channel's bridge; its presence, its account's presence.
public sealed partial class MatrixBridgeHost : IGatewayObserver
{
    private EngineReportQueue<(string BadgeId, uint BurstId)>? _playedReports;

    // The player that plays on the badges is the engine, which reports finished recordings and played reports. The
    // engine only queues them here: its loop never waits for the database or the homeserver. With several gateways on
    // one database the reports come through it instead (MatrixBridgeHost.HandedOver.cs), from every gateway.
    private void ObserveEngine(IBadgePlayer player)
    {
        if (player is not EngineBadgePlayer engine)
        {
            _logger.LogInformation("Finished bursts are sent at start only, and read receipts not at all: the badge player is not the gateway engine's");
            return;
        }

        _observing = engine.Engine.Observers.Add(this);
        var channels = new PlayedBurstChannels(_stores);
        _playedReports = new EngineReportQueue<(string, uint)>("read receipt", _logger);
        _playedReports.Start((report, ct) => SendReadReceiptAsync(channels, report.BadgeId, report.BurstId, ct), _stop.Token);
        StartPresence();
        StartLowBatteryNotices();
        StartEmergencyMessages();
        StartHandedOverReports();
    }

    void IGatewayObserver.OnBurstRecorded(RecordingRecord recording) => WakePump();

    void IGatewayObserver.OnBurstPlayed(string badgeId, uint burstId)
    {
        if (!ReportsHandedOver)
        {
            _playedReports?.Post((badgeId, burstId));
        }
    }

    private async Task SendReadReceiptAsync(PlayedBurstChannels channels, string badgeId, uint burstId, CancellationToken ct)
    {
        if (channels.ChannelOf(burstId) is not { } channel || !Bridges.TryGetValue(channel, out var bridge))
        {
            _logger.LogDebug("Badge {Badge} played burst {Burst}, which no linked channel holds; no receipt", badgeId, burstId);
            return;
        }

        await bridge.OnPlayedAsync(badgeId, burstId, ct);
    }

    // The handed-over reports' reader first, so that nothing is queued behind the queues' ends.
    private async Task StopEngineReportsAsync()
    {
        await StopHandedOverReportsAsync();
        await (_playedReports?.StopAsync() ?? Task.CompletedTask);
        await (_presenceReports?.StopAsync() ?? Task.CompletedTask);
        await (_lowBatteryReports?.StopAsync() ?? Task.CompletedTask);
        await (_emergencyReports?.StopAsync() ?? Task.CompletedTask);
    }
}
