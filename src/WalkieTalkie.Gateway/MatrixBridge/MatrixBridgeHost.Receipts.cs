using System.Threading.Channels;
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
    private readonly Channel<(string BadgeId, uint BurstId)> _played =
        Channel.CreateUnbounded<(string, uint)>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _receiptLoop;

    // The player that plays on the badges is the engine, which reports finished recordings and played reports. The
    // engine only queues them here: its loop never waits for the database or the homeserver.
    private void ObserveEngine(IBadgePlayer player)
    {
        if (player is not EngineBadgePlayer engine)
        {
            _logger.LogInformation("Finished bursts are sent at start only, and read receipts not at all: the badge player is not the gateway engine's");
            return;
        }

        _observing = engine.Engine.Observers.Add(this);
        _receiptLoop = Task.Run(() => ReceiptLoopAsync(new PlayedBurstChannels(_stores), _stop.Token), CancellationToken.None);
        StartPresence();
        StartLowBatteryNotices();
        StartEmergencyMessages();
    }

    void IGatewayObserver.OnBurstRecorded(RecordingRecord recording) => WakePump();

    void IGatewayObserver.OnBurstPlayed(string badgeId, uint burstId) => _played.Writer.TryWrite((badgeId, burstId));

    private async Task ReceiptLoopAsync(PlayedBurstChannels channels, CancellationToken ct)
    {
        try
        {
            await foreach (var (badgeId, burstId) in _played.Reader.ReadAllAsync(ct))
            {
                try
                {
                    if (channels.ChannelOf(burstId) is not { } channel || !Bridges.TryGetValue(channel, out var bridge))
                    {
                        _logger.LogDebug("Badge {Badge} played burst {Burst}, which no linked channel holds; no receipt", badgeId, burstId);
                        continue;
                    }

                    await bridge.OnPlayedAsync(badgeId, burstId, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    _logger.LogWarning("No read receipt for burst {Burst} played by {Badge}: {Error}", burstId, badgeId, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task StopReceiptsAsync()
    {
        _played.Writer.TryComplete();
        if (_receiptLoop is not null)
        {
            try
            {
                await _receiptLoop;
            }
            catch (Exception e)
            {
                _logger.LogDebug(e, "Receipt loop ended with an error");
            }
        }
    }
}
