using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Badges;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Floor;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Logging;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.Permits;
using WalkieTalkie.Gateway.Presence;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Time;
using WalkieTalkie.Gateway.Transports.Mqtt;
using WalkieTalkie.Gateway.Transports;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;
using WalkieTalkie.Protocol;

namespace WalkieTalkie.Gateway.Engine;

/// <summary>
/// The gateway's behaviour: one loop takes uplink messages, connection changes, ticks and registry reloads one at
/// a time and drives the floor, fan-out, recording, presence and permits. Being the only thread that touches that
/// state, it needs no locks, and the plain classes it drives stay testable on their own.
/// </summary>
public sealed partial class GatewayEngine : IUplinkSink
{
    private readonly Channel<EngineEvent> _events = Channel.CreateUnbounded<EngineEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteDatabase _database;
    private readonly GatewayOptions _options;
    private readonly IBadgeLink _link;
    private readonly IClock _clock;
    private readonly ILogger _logger;
    private readonly FloorController _floor;
    private readonly PresenceTracker _presence;
    private readonly PermitWatcher _permits = new();
    private readonly SqliteRecordingIndex _recordings;
    private readonly SqliteUnplayedStore _unplayed;
    private readonly SqliteStatusStore _status;
    private readonly SqlitePermitStore _permitStore;
    private readonly Dictionary<byte, ActiveBurst> _bursts = new();
    private readonly List<Playback> _playbacks = [];
    private readonly Dictionary<string, byte[]> _configSent = new();
    private readonly HashSet<(string, byte, byte, long)> _offersSent = [];
    private readonly ControlMessageReader _reader = new();
    private readonly AudioFrame _frame = new();
    private readonly LogLimiter _limiter;
    private volatile RegistrySnapshot _registry;
    private readonly HashSet<string> _presenceToSave = [];
    private DateTimeOffset _lastPermitCheck;

    public GatewayEngine(SqliteDatabase database, GatewayOptions options, FloorOptions floorOptions, IBadgeLink link, IClock clock, ILogger logger)
    {
        _database = database;
        _options = options;
        _link = link;
        _clock = clock;
        _logger = logger;
        _recordings = new SqliteRecordingIndex(database);
        _unplayed = new SqliteUnplayedStore(database);
        _status = new SqliteStatusStore(database);
        _permitStore = new SqlitePermitStore(database);
        _presence = new PresenceTracker(clock);
        _limiter = new LogLimiter(clock, TimeSpan.FromSeconds(10));
        _registry = RegistrySnapshot.Load(database);
        _queuedFiles = new QueuedMessageFiles(options.ResolveRecordingsDirectory());
        var waiting = _queuedFiles.Load(path => _logger.LogWarning("Skipped unreadable queued voice message {Path}", path));
        _floor = new FloorController(clock, floorOptions, Math.Max(_recordings.NextBurstId(), waiting.Count == 0 ? 0 : waiting[^1].BurstId + 1));
        RestoreQueuedAudio(waiting);
        _permits.Check(_registry, clock.Now, firstLook: true);
        _status.ClearHolders();
    }

    /// <summary>The registry as of the last reload (read by the broker's authenticator on its own threads).</summary>
    public RegistrySnapshot Registry => _registry;

    /// <summary>
    /// Raised on the engine's loop when a badge reports <c>played</c> for a burst (badge id, burst id), after the
    /// unplayed list was updated. Handlers must return at once (queue the work): the loop waits for them.
    /// </summary>
    public event Action<string, uint>? BurstPlayed;

    internal FloorController Floor => _floor;

    internal PresenceTracker Presence => _presence;

    /// <summary>The gateway's own time per live frame (hand-over by the broker to the last listener's enqueue).</summary>
    public FanoutTimings Timings { get; } = new();

    public void OnUplink(string badgeId, TopicKind kind, byte[] payload) => Post(new UplinkEvent(badgeId, kind, payload, System.Diagnostics.Stopwatch.GetTimestamp()));

    public void OnConnected(string badgeId) => Post(new ConnectedEvent(badgeId));

    public void OnDisconnected(string badgeId) => Post(new DisconnectedEvent(badgeId));

    internal void Post(EngineEvent e) => _events.Writer.TryWrite(e);

    /// <summary>Ends every burst cleanly (recordings finished, listeners told), then stops taking events.</summary>
    public Task ShutdownAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(new ShutdownEvent(done));
        return done.Task;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var e in _events.Reader.ReadAllAsync(cancellationToken))
        {
            try
            {
                if (e is ShutdownEvent shutdown)
                {
                    await EndAllAsync();
                    FlushPresence();
                    shutdown.Done.TrySetResult();
                    return;
                }

                await HandleAsync(e);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Engine failed on {Event}", e.GetType().Name);
            }
        }
    }

    private Task HandleAsync(EngineEvent e) => e switch
    {
        UplinkEvent u => HandleUplinkAsync(u),
        ConnectedEvent c => HandleConnectedAsync(c.BadgeId),
        DisconnectedEvent d => HandleDisconnectedAsync(d.BadgeId),
        TickEvent => HandleTickAsync(),
        ReloadEvent r => ApplyRegistryAsync(r.Registry),
        QueueAudioEvent q => HandleQueueAudioAsync(q),
        _ => Task.CompletedTask,
    };

    private async Task HandleUplinkAsync(UplinkEvent e)
    {
        if (_registry.Badge(e.BadgeId) is null)
        {
            if (_limiter.ShouldLog("unknown:" + e.BadgeId))
            {
                _logger.LogWarning("Ignored message from unregistered badge {Badge}", e.BadgeId);
            }

            return;
        }

        switch (e.Kind)
        {
            case TopicKind.UpAudio:
                await HandleFrameAsync(e.BadgeId, e.Payload, e.ReceivedAt);
                break;
            case TopicKind.UpState when LastWill.Matches(e.Payload, 0, e.Payload.Length):
                await HandleControlAsync(e.BadgeId, new BadgeState { Status = BadgeStatus.Offline });
                break;
            case TopicKind.UpControl:
            case TopicKind.UpState:
                var error = _reader.Read(e.Payload, 0, e.Payload.Length, ControlDirection.Uplink);
                if (error != ProtocolError.None || (e.Kind == TopicKind.UpState) != (_reader.Message is BadgeState))
                {
                    if (_limiter.ShouldLog("ctl:" + e.BadgeId))
                    {
                        _logger.LogWarning("Dropped malformed control message from badge {Badge} on {Kind}: {Error}",
                            e.BadgeId, e.Kind, error == ProtocolError.None ? "wrong topic for " + MessageType.Name(_reader.Message!.Type) : error.ToString());
                    }

                    return;
                }

                await HandleControlAsync(e.BadgeId, _reader.Message!);
                break;
        }
    }

    private async Task HandleControlAsync(string badgeId, ControlMessage message)
    {
        if (message is not (BadgeState or SleepAnnouncement) && _presence.OnTraffic(badgeId))
        {
            await CameOnlineAsync(badgeId);
        }

        switch (message)
        {
            case FloorRequest request:
                await RequestFloorAsync(badgeId, request);
                break;
            case FloorRelease release:
                if (_floor.Release(badgeId, release.Channel, release.BurstId) is { } end)
                {
                    await EndBurstAsync(end, release.FrameCount);
                }

                break;
            case SleepAnnouncement sleep:
                _presence.OnSleep(badgeId, sleep);
                SavePresence(badgeId);
                break;
            case PlayRequest play:
                await StartRecordingPlaybackAsync(badgeId, play.BurstId);
                break;
            case Played played:
                _unplayed.MarkPlayed(badgeId, played.BurstId);
                ReportPlayed(badgeId, played.BurstId);
                break;
            case PermitAccept accept:
                await ChangeAcceptanceAsync(badgeId, accept.Channel, _permitStore.Accept(badgeId, accept.Channel, accept.Permits), "accepted");
                break;
            case PermitWithdraw withdraw:
                await ChangeAcceptanceAsync(badgeId, withdraw.Channel, _permitStore.Withdraw(badgeId, withdraw.Channel, withdraw.Permits), "withdrew");
                break;
            case BadgeState state:
                var cameOnline = _presence.OnState(badgeId, state);
                SavePresence(badgeId);
                if (state.Status == BadgeStatus.Offline)
                {
                    StopDeliveringTo(badgeId);
                }
                else if (cameOnline)
                {
                    await CameOnlineAsync(badgeId);
                }

                break;
        }
    }

    // Each observer on its own: one that throws neither stops the loop nor keeps the report from the others.
    private void ReportPlayed(string badgeId, uint burstId)
    {
        if (BurstPlayed is not { } observers)
        {
            return;
        }

        foreach (var observer in observers.GetInvocationList().Cast<Action<string, uint>>())
        {
            try
            {
                observer(badgeId, burstId);
            }
            catch (Exception e)
            {
                _logger.LogWarning("A played observer failed for burst {Burst} of badge {Badge}: {Error}", burstId, badgeId, e.Message);
            }
        }
    }

    private async Task ChangeAcceptanceAsync(string badgeId, byte channel, byte? accepted, string verb)
    {
        if (accepted is null)
        {
            _logger.LogWarning("Badge {Badge} {Verb} permits on channel {Channel}, but none were offered", badgeId, verb, channel);
            return;
        }

        _logger.LogInformation("Badge {Badge} {Verb} permits on channel {Channel}: now {Accepted}", badgeId, verb, channel, accepted);
        await ApplyRegistryAsync(RegistrySnapshot.Load(_database));
    }

    /// <summary>
    /// A connection alone is not "online": a new session has no subscription yet, so what we sent now could be lost.
    /// The badge's <c>badge-state</c>, published once it subscribed, is what brings its config and what it is owed.
    /// </summary>
    private Task HandleConnectedAsync(string badgeId)
    {
        _presence.OnConnected(badgeId);
        SavePresence(badgeId);
        return Task.CompletedTask;
    }

    private Task HandleDisconnectedAsync(string badgeId)
    {
        _presence.OnDisconnected(badgeId);
        SavePresence(badgeId);
        StopDeliveringTo(badgeId);
        return Task.CompletedTask;
    }

    /// <summary>A badge that went away mid-burst did not hear it: it goes back to being owed the burst.</summary>
    private void StopDeliveringTo(string badgeId)
    {
        foreach (var burst in _bursts.Values)
        {
            if (burst.LiveListeners.Remove(badgeId) | _playbacks.RemoveAll(p => p.BadgeId == badgeId && p.BurstId == burst.BurstId) > 0)
            {
                burst.Reached.Remove(badgeId);
            }
        }

        _playbacks.RemoveAll(p => p.BadgeId == badgeId);
    }

    /// <summary>A badge is back (connected, or out of its pocket): its config, pending offers, what it missed, and any burst in progress.</summary>
    private async Task CameOnlineAsync(string badgeId)
    {
        _logger.LogInformation("Badge {Badge} is online", badgeId);
        await SendConfigAsync(badgeId, force: true);
        await SendPendingOffersAsync(badgeId);
        await SendUnplayedListAsync(badgeId);
        foreach (var burst in _bursts.Values.ToArray())
        {
            if (burst.TalkerId != badgeId && !burst.Reached.Contains(badgeId) && MayHear(badgeId, burst.Channel))
            {
                await JoinLateAsync(badgeId, burst);
            }
        }
    }

    private bool MayHear(string badgeId, byte channel) =>
        PermitWatcher.MayHear(_registry.EffectivePermits(badgeId, channel, _clock.Now));

    private async Task SendAsync(string badgeId, ControlMessage message)
    {
        // A virtual talker (a Matrix sender) has no badge to tell.
        if (!VirtualTalker.Is(badgeId))
        {
            await _link.SendControlAsync(badgeId, message.ToBytes());
        }
    }

    private async Task SendConfigAsync(string badgeId, bool force)
    {
        if (_registry.Badge(badgeId) is null)
        {
            return;
        }

        var config = BadgeConfigBuilder.Build(_registry, badgeId, _clock.Now, _options);
        var content = BadgeConfigBuilder.Content(config);
        if (!force && _configSent.TryGetValue(badgeId, out var sent) && sent.AsSpan().SequenceEqual(content))
        {
            return;
        }

        _configSent[badgeId] = content;
        await SendAsync(badgeId, config);
    }

    private async Task SendUnplayedListAsync(string badgeId)
    {
        var queue = _unplayed.List(badgeId);
        if (queue.Count == 0)
        {
            return;
        }

        var entries = queue.Skip(Math.Max(0, queue.Count - UnplayedList.MaxEntries)).Select(r => new UnplayedEntry
        {
            BurstId = r.BurstId,
            Channel = r.Channel,
            DurationMs = (uint)Math.Max(0, r.DurationMs),
            RecordedAt = (uint)(r.StartedAtMs / 1000),
            Talker = TalkerName(r.BadgeId),
        }).ToArray();
        await SendAsync(badgeId, new UnplayedList { Entries = entries });
    }

    private string TalkerName(string badgeId) => VirtualTalker.Is(badgeId) ? VirtualTalker.NameOf(badgeId) : _registry.Badge(badgeId)?.Name ?? badgeId;

    /// <summary>Presence is kept for <c>walkie status</c>: noted here, written in one transaction per second (see the tick).</summary>
    private void SavePresence(string badgeId) => _presenceToSave.Add(badgeId);

    private void FlushPresence()
    {
        if (_presenceToSave.Count == 0)
        {
            return;
        }

        _status.SetPresence(_presenceToSave.Select(id =>
        {
            var p = _presence.Get(id);
            return new PresenceRecord(id, p.State.ToString().ToLowerInvariant(), p.PocketUntil?.ToUnixTimeSeconds() ?? 0,
                p.LastSeen.ToUnixTimeMilliseconds(), p.BatteryPercent, p.Rssi, p.Firmware);
        }).ToList());
        _presenceToSave.Clear();
    }
}
