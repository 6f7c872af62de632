using Microsoft.Extensions.Hosting;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Status;

/// <summary>
/// Keeps what <c>walkie status</c> shows (floor holders, recent decisions, badge presence) from what the engine
/// reports, written on the storage worker: decisions and holders as they come, presence at most once a second per
/// badge (a badge's state changes with every burst), and what is left when the gateway stops.
/// </summary>
public sealed class StatusRecorder(IStatusStore status, StorageWorker worker, TimeProvider time) : IGatewayObserver, IHostedService, IDisposable
{
    private readonly Dictionary<string, PresenceRecord> _presence = new(StringComparer.Ordinal);
    private ITimer? _flush;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        status.ClearHolders();
        _flush = time.CreateTimer(_ => FlushPresence(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_flush is not null)
        {
            await _flush.DisposeAsync();
        }

        FlushPresence();
    }

    void IGatewayObserver.OnFloorDecision(FloorDecisionRecord decision) => worker.Post(() => status.RecordDecision(decision));

    void IGatewayObserver.OnBurstStarted(BurstInfo burst) =>
        worker.Post(() => status.SetHolder(burst.Channel, burst.Talker.Key, burst.BurstId, burst.StartedAt.ToUnixTimeMilliseconds()));

    void IGatewayObserver.OnBurstEnded(BurstInfo burst, EndReason reason) => worker.Post(() => status.SetHolder(burst.Channel, null, 0, 0));

    void IGatewayObserver.OnPresenceChanged(PresenceRecord presence)
    {
        lock (_presence)
        {
            _presence[presence.BadgeId] = presence;
        }
    }

    private void FlushPresence()
    {
        PresenceRecord[] changed;
        lock (_presence)
        {
            if (_presence.Count == 0)
            {
                return;
            }

            changed = [.. _presence.Values];
            _presence.Clear();
        }

        worker.Post(() => status.SetPresence(changed));
    }

    public void Dispose() => _flush?.Dispose();
}
