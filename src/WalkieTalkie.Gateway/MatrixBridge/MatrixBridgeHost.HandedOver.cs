using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.Storage.Bridge;

namespace WalkieTalkie.Gateway.MatrixBridge;

// With several gateways on one database the engine's reports come through it (EngineReportHandOver writes every
// gateway's, this one's included): the bridge reads them in order, hands each to the handler a report from its own
// engine goes to, and removes it once handled. At least once: a bridge that stops before removing a report leaves it
// to the next one, and the handlers key what they post by the report (an emergency by when it opened), so a report
// handled twice is queued once in the badge's outbox. A report too old to post by its kind (EngineReportAges: presence
// and receipts after minutes, a low battery after hours; never an emergency or a recording) is deleted unposted. The
// reader is woken by each report written, by this gateway or (on PostgreSQL, whose trigger notifies every gateway at
// the write's commit) by another, and looks anyway every EngineReportHandOver.LookEvery (30 s by default on
// PostgreSQL) in case a wake was lost.
public sealed partial class MatrixBridgeHost
{
    private const int HandedOverBatch = 100;

    private readonly ConcurrentDictionary<long, bool> _handedOverInFlight = new();
    private readonly SemaphoreSlim _handedOverSignal = new(0);
    private EngineReportHandOver? _handOver;
    private Task? _handedOverLoop;

    /// <summary>Whether the engine's reports come through the database rather than from this gateway's engine.</summary>
    private bool ReportsHandedOver => _handOver is not null;

    private void StartHandedOverReports()
    {
        if (_handOver is null)
        {
            return;
        }

        _handOver.Written += WakeHandedOver;
        _handedOverLoop = Task.Run(() => ReadHandedOverAsync(_stop.Token), CancellationToken.None);
    }

    private void WakeHandedOver() => _handedOverSignal.Release();

    private async Task ReadHandedOverAsync(CancellationToken ct)
    {
        var store = _stores.EngineReports;
        var lookEvery = _handOver!.LookEvery;
        var failing = false;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    var now = DateTimeOffset.UtcNow;
                    var dropped = new Dictionary<string, int>(StringComparer.Ordinal);
                    foreach (var report in store.Pending(HandedOverBatch))
                    {
                        if (EngineReportAges.IsStale(report.Kind, report.AtMs, now))
                        {
                            store.Remove(report.Id);
                            dropped[report.Kind] = dropped.GetValueOrDefault(report.Kind) + 1;
                        }
                        else if (_handedOverInFlight.TryAdd(report.Id, true))
                        {
                            Dispatch(report, () => Handled(store, report.Id));
                        }
                    }

                    if (dropped.Count > 0)
                    {
                        _logger.LogInformation("Dropped {Count} handed-over engine reports too old to post ({Kinds})", dropped.Values.Sum(),
                            string.Join(", ", dropped.Select(d => $"{d.Value} {d.Key}")));
                    }

                    failing = false;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    if (!failing)
                    {
                        _logger.LogWarning("The engine reports handed over by the gateways cannot be read, will retry: {Error}", e.Message);
                    }

                    failing = true;
                }

                // Woken by each report written here or (notified by the database) by another gateway; the look every
                // LookEvery is the safety net for a wake that was lost.
                await _handedOverSignal.WaitAsync(lookEvery, ct);
                while (_handedOverSignal.CurrentCount > 0)
                {
                    await _handedOverSignal.WaitAsync(ct); // one look serves every wake that came meanwhile
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    // Removed once handled; one whose removal fails is read and handled again (and posted once, by its key).
    private void Handled(IEngineReportStore store, long id)
    {
        try
        {
            store.Remove(id);
        }
        finally
        {
            _handedOverInFlight.TryRemove(id, out _);
        }
    }

    private void Dispatch(EngineReport report, Action handled)
    {
        _logger.LogDebug("Engine report {Id} from gateway {Gateway}: {Kind} of badge {Badge}", report.Id, report.GatewayId, report.Kind, report.BadgeId);
        switch (report.Kind)
        {
            case EngineReportKinds.EmergencyOpened:
                var opened = new EmergencyInfo(report.BadgeId, DateTimeOffset.FromUnixTimeMilliseconds(report.AtMs), [], (int)report.Number, report.Text);
                _emergencyReports!.Post((opened, report.BadgeId, "", report.AtMs), handled);
                break;
            case EngineReportKinds.EmergencyClosed:
                _emergencyReports!.Post((null, report.BadgeId, report.Text, report.AtMs), handled);
                break;
            case EngineReportKinds.LowBattery:
                _lowBatteryReports!.Post((report.BadgeId, (int)report.Number, report.AtMs), handled);
                break;
            case EngineReportKinds.Presence:
                _presenceReports!.Post((report.BadgeId, BadgePresenceMapping.Of(report.Text)), handled);
                break;
            case EngineReportKinds.Played:
                _playedReports!.Post((report.BadgeId, (uint)report.Number), handled);
                break;
            case EngineReportKinds.Recorded:
                // Another gateway's burst (a channel burst, or a private reply to a Matrix user) is in the shared feeds.
                WakePump();
                handled();
                break;
            default:
                _logger.LogWarning("Engine report {Id} from gateway {Gateway} is of a kind this gateway does not know ({Kind}); dropped",
                    report.Id, report.GatewayId, report.Kind);
                handled();
                break;
        }
    }

    private async Task StopHandedOverReportsAsync()
    {
        if (_handOver is not null)
        {
            _handOver.Written -= WakeHandedOver;
        }

        if (_handedOverLoop is not null)
        {
            try
            {
                await _handedOverLoop;
            }
            catch (Exception e)
            {
                _logger.LogDebug(e, "The handed-over reports' loop ended with an error");
            }
        }
    }
}
