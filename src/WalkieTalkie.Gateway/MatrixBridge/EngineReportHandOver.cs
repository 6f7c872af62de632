using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.Sites;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Matrix.Client.Presence;

namespace WalkieTalkie.Gateway.MatrixBridge;

/// <summary>
/// The engine's reports for the Matrix bridge (emergencies, low battery, presence, played bursts, finished recordings),
/// written to the shared database when several gateways share it (<see cref="IEngineReportStore"/>): the bridge runs on
/// one gateway (the holder of its lease), and the badges' reports are made by the gateway that serves each badge or
/// channel, which may be another one. Every gateway with a <c>Matrix</c> section writes its reports there, the
/// bridge's own included: which gateway holds the bridge may change between a report and its handling, and a report in
/// the table waits for whichever bridge runs next. Alone on SQLite (<see cref="IChannelLeases.HoldsEveryChannel"/>)
/// it does nothing and the bridge hears the engine in-process, as before.
/// </summary>
/// <remarks>
/// The engine's loop only queues a report here; a task of its own writes them in order, and one that cannot be written
/// (the database out of reach) is tried again every <see cref="RetryEvery"/> until it is, or the gateway stops.
/// </remarks>
public sealed class EngineReportHandOver : IGatewayObserver, IHostedService, IDisposable
{
    /// <summary>How long a report that could not be written waits before it is tried again.</summary>
    public static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(1);

    /// <summary>How long a stopping gateway keeps trying to write the reports it still holds.</summary>
    public static readonly TimeSpan StopWithin = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the same Matrix presence of a badge is not written again. Not for ever: the badge's reports move with the
    /// lease of its first channel, and what this gateway wrote before another served the badge for a while may be stale.
    /// </summary>
    public static readonly TimeSpan PresenceRewriteAfter = TimeSpan.FromSeconds(60);

    private readonly Channel<EngineReport> _pending = Channel.CreateUnbounded<EngineReport>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, (PresenceState State, long AtMs)> _presenceWritten = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly IEngineReportStore _store;
    private readonly string _gatewayId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IDisposable? _notified;
    private Task? _writer;

    public EngineReportHandOver(IOptions<MatrixBridgeOptions> matrix, IChannelLeases leases, BridgeStores stores, IServiceProvider services,
        IStoreNotifications notifications, IOptions<Hosting.StorageOptions> storage, TimeProvider time, ILogger<EngineReportHandOver> logger)
    {
        Active = matrix.Value.IsConfigured && !leases.HoldsEveryChannel;
        _store = stores.EngineReports;
        // Asked only when active: alone, a gateway keeps no id file for this.
        _gatewayId = Active ? services.GetRequiredService<GatewayIdentity>().Id : "";
        _time = time;
        _logger = logger;
        LookEvery = notifications.Pushed ? TimeSpan.FromSeconds(storage.Value.FallbackPollSeconds) : UnpushedLookEvery;
        if (Active)
        {
            // Another gateway's reports (its write's trigger notifies every gateway) wake a bridge running here as its own do.
            _notified = notifications.Subscribe(StoreTopics.EngineReports, RaiseWritten);
        }
    }

    /// <summary>How often the bridge looks at the table when the database does not push the other gateways' writes.</summary>
    public static readonly TimeSpan UnpushedLookEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How often the bridge looks at the table when nothing woke it: the safety net's period when the database pushes
    /// the other gateways' writes (PostgreSQL: <c>Storage:FallbackPollSeconds</c>), else <see cref="UnpushedLookEvery"/>.
    /// </summary>
    public TimeSpan LookEvery { get; }

    /// <summary>Whether the reports go through the database (several gateways share it and the bridge is configured).</summary>
    public bool Active { get; }

    /// <summary>
    /// Raised after a report was written, here or (when the database pushes it) by another gateway, and when the
    /// notifications' connection is back after an outage, so that a bridge running here reads it at once rather than at
    /// its next look.
    /// </summary>
    public event Action? Written;

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    void IGatewayObserver.OnEmergencyOpened(EmergencyInfo emergency) =>
        Queue(EngineReportKinds.EmergencyOpened, emergency.BadgeId, emergency.Zone, emergency.BatteryPercent, emergency.OpenedAt.ToUnixTimeMilliseconds());

    void IGatewayObserver.OnEmergencyClosed(string badgeId, string by) => Queue(EngineReportKinds.EmergencyClosed, badgeId, by, 0, NowMs);

    void IGatewayObserver.OnLowBattery(string badgeId, int percent) => Queue(EngineReportKinds.LowBattery, badgeId, "", percent, NowMs);

    // The engine reports presence often (battery, signal, last seen); a badge's Matrix presence is written when it
    // changes, and again at most once a minute while it does not.
    void IGatewayObserver.OnPresenceChanged(PresenceRecord presence)
    {
        if (!Active)
        {
            return;
        }

        var state = BadgePresenceMapping.Of(presence.State);
        var now = NowMs;
        lock (_presenceWritten)
        {
            if (_presenceWritten.TryGetValue(presence.BadgeId, out var last) && last.State == state
                && now - last.AtMs < (long)PresenceRewriteAfter.TotalMilliseconds)
            {
                return;
            }

            _presenceWritten[presence.BadgeId] = (state, now);
        }

        Queue(EngineReportKinds.Presence, presence.BadgeId, presence.State, 0, now);
    }

    void IGatewayObserver.OnBurstPlayed(string badgeId, uint burstId) => Queue(EngineReportKinds.Played, badgeId, "", burstId, NowMs);

    void IGatewayObserver.OnBurstRecorded(RecordingRecord recording) => Queue(EngineReportKinds.Recorded, recording.BadgeId, "", recording.BurstId, NowMs);

    private void Queue(string kind, string badgeId, string text, long number, long atMs)
    {
        if (Active)
        {
            _pending.Writer.TryWrite(new EngineReport(0, kind, badgeId, text, number, atMs, _gatewayId));
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Active)
        {
            _writer = Task.Run(WriteLoopAsync, CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    /// <summary>Writes what is still queued (for up to <see cref="StopWithin"/>), then stops.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _pending.Writer.TryComplete();
        if (_writer is null)
        {
            return;
        }

        try
        {
            await _writer.WaitAsync(StopWithin, _time, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            await _stop.CancelAsync();
            var lost = 0;
            while (_pending.Reader.TryRead(out _))
            {
                lost++;
            }

            _logger.LogWarning("Stopping: the engine reports for the Matrix bridge could not all be written to the database in time " +
                "(the one being tried and {Count} more are lost)", lost);
        }

        try
        {
            await _writer;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task WriteLoopAsync()
    {
        await foreach (var report in _pending.Reader.ReadAllAsync(_stop.Token))
        {
            for (var failures = 0; ; failures++)
            {
                try
                {
                    _store.Add(report);
                    if (failures > 0)
                    {
                        _logger.LogInformation("Engine reports for the Matrix bridge are written to the database again");
                    }

                    break;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    if (failures == 0)
                    {
                        _logger.LogWarning("An engine report for the Matrix bridge ({Kind} of badge {Badge}) could not be written to the database, " +
                            "will retry every {Seconds} s: {Error}", report.Kind, report.BadgeId, RetryEvery.TotalSeconds, e.Message);
                    }

                    await Task.Delay(RetryEvery, _time, _stop.Token);
                }
            }

            RaiseWritten();
        }
    }

    private void RaiseWritten()
    {
        try
        {
            Written?.Invoke();
        }
        catch (Exception e)
        {
            _logger.LogDebug(e, "A reader of the engine reports failed to take the wake");
        }
    }

    public void Dispose()
    {
        _notified?.Dispose();
        _stop.Dispose();
    }
}
