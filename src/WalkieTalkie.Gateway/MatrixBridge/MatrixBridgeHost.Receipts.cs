using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Gateway.Badges;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Logging;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.MatrixBridge.Linking;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage.Sqlite.Bridge;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.MatrixBridge;

// "Heard by": a badge's played report becomes an m.read receipt from its account, through the channel's bridge.
public sealed partial class MatrixBridgeHost
{
    private readonly Channel<(string BadgeId, uint BurstId)> _played =
        Channel.CreateUnbounded<(string, uint)>(new UnboundedChannelOptions { SingleReader = true });
    private GatewayEngine? _playedSource;
    private Task? _receiptLoop;

    // The player that plays on the badges is the engine that hears their played reports. The engine only queues
    // the report here (its loop never waits for the database or the homeserver).
    private void StartReceipts(SqliteDatabase database, IBadgePlayer player)
    {
        if (player is not EngineBadgePlayer engine)
        {
            _logger.LogInformation("Read receipts are not sent: the badge player is not the gateway engine's");
            return;
        }
        _playedSource = engine.Engine;
        _playedSource.BurstPlayed += OnBurstPlayed;
        _receiptLoop = Task.Run(() => ReceiptLoopAsync(new PlayedBurstChannels(database), _stop.Token), CancellationToken.None);
    }

    private void OnBurstPlayed(string badgeId, uint burstId) => _played.Writer.TryWrite((badgeId, burstId));

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
        if (_playedSource is not null)
        {
            _playedSource.BurstPlayed -= OnBurstPlayed;
        }

        _played.Writer.TryComplete();
        if (_receiptLoop is not null)
        {
            try { await _receiptLoop; } catch (Exception e) { _logger.LogDebug(e, "Receipt loop ended with an error"); }
        }
    }
}
