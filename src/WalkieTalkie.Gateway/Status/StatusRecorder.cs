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
/// <remarks>
/// The presence flush is a one-shot armed by the first presence that waits, so nothing wakes the gateway for it while
/// there is none (it used to tick every second for as long as the gateway ran).
/// </remarks>
public sealed class StatusRecorder(IStatusStore status, StorageWorker worker, TimeProvider time) : IGatewayObserver, IHostedService, IDisposable
{
    private static readonly TimeSpan FlushAfter = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, PresenceRecord> _presence = new(StringComparer.Ordinal);
    private ITimer? _flush;
    private bool _stopped;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        status.ClearHolders();
        lock (_presence)
        {
            _flush = time.CreateTimer(_ => FlushPresence(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            if (_presence.Count > 0)
            {
                _flush.Change(FlushAfter, Timeout.InfiniteTimeSpan);
            }
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        ITimer? flush;
        lock (_presence)
        {
            _stopped = true;
            flush = _flush;
        }

        if (flush is not null)
        {
            await flush.DisposeAsync();
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
            // The first to wait arms the flush; the others of that second join it.
            if (_presence.Count == 0 && !_stopped)
            {
                _flush?.Change(FlushAfter, Timeout.InfiniteTimeSpan);
            }

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
