using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Badges;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Floor;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Permits;
using WalkieTalkie.Gateway.Presence;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Sites;
using WalkieTalkie.Gateway.Sites.Floor;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Transports;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Engine;

/// <summary>
/// The gateway's behaviour: one loop takes uplink messages, connection changes, ticks and registry reloads one at
/// a time and drives the floor, fan-out, recording, presence and permits. Being the only thread that touches that
/// state, it needs no locks, and the plain classes it drives stay testable on their own. It reaches storage only
/// through <see cref="EngineStorage"/> (queued off the loop) and badges only through the <see cref="IBadgeLink"/>;
/// what it decides goes to the <see cref="GatewayObservers"/>. The loop has no thread of its own
/// (<see cref="CombiningLoop{T}"/>): an event is handled by the thread that hands it over when the loop is idle (a
/// badge's frame on the thread that received it), else by the thread handling events then.
/// </summary>
public sealed partial class GatewayEngine : IUplinkSink
{
    private readonly HashSet<string> _mayOverride = new(StringComparer.Ordinal);
    private readonly CombiningLoop<EngineEvent> _loop;
    private readonly GatewayOptions _options;
    private readonly IBadgeLink _link;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EngineStorage _storage;
    private readonly CurrentRegistry _current;
    private readonly GatewayObservers _observers;
    private readonly IBurstIdSource _burstIds;
    private readonly FloorController _floor;
    private readonly FloorOptions _floorOptions;
    private readonly PresenceTracker _presence;
    private readonly LowBatteryWatch _lowBattery;
    private readonly PermitWatcher _permits = new();
    private readonly Dictionary<byte, ActiveBurst> _bursts = new();
    private readonly List<Playback> _playbacks = [];
    private readonly Dictionary<string, byte[]> _configSent = new();
    private readonly HashSet<(string, byte, byte, long)> _offersSent = [];
    private readonly ControlMessageReader _reader = new();
    private readonly AudioFrame _frame = new();
    private readonly BadgeRefusals _refusals;
    private readonly QueuedMessageFiles _queuedFiles;
    private readonly ChannelOwnership _ownership;
    private readonly ISitePeers? _sites;
    private readonly SiteFloorArbiter? _siteFloor;
    private readonly SiteFloorOptions _siteFloorOptions;
    private readonly HeardLive _heardLive;
    private RegistrySnapshot _registry = RegistrySnapshot.Empty;
    private DateTimeOffset _lastPermitCheck;

    public GatewayEngine(IOptions<GatewayOptions> options, IOptions<FloorOptions> floorOptions, IBadgeLink link, TimeProvider time,
        EngineStorage storage, CurrentRegistry current, GatewayObservers observers, IBurstIdSource burstIds, QueuedMessageFiles queuedFiles,
        BadgeRefusals refusals, ChannelOwnership ownership, HeardLive heardLive, ILogger<GatewayEngine> logger,
        IOptions<SiteFloorOptions>? siteFloorOptions = null, ISitePeers? sitePeers = null)
    {
        _heardLive = heardLive;
        _options = options.Value;
        _link = link;
        _time = time;
        _logger = logger;
        _loop = new CombiningLoop<EngineEvent>(HandleEventAsync, (e, ex) => _logger.LogError(ex, "Engine failed on {Event}", e.GetType().Name));
        _storage = storage;
        _current = current;
        _observers = observers;
        _burstIds = burstIds;
        _queuedFiles = queuedFiles;
        _ownership = ownership;
        _floorOptions = floorOptions.Value;
        _floor = new FloorController(time, _floorOptions, burstIds);
        _presence = new PresenceTracker(time);
        _refusals = refusals;
        _lowBattery = new LowBatteryWatch(_options.LowBatteryPercent);
        _siteFloorOptions = siteFloorOptions?.Value ?? new SiteFloorOptions();
        if (sitePeers is not null)
        {
            _sites = sitePeers;
            _siteFloor = new SiteFloorArbiter(sitePeers.OwnGatewayId, time, _siteFloorOptions);
            _roomFloor = new RoomFloorArbiter(sitePeers.OwnGatewayId, time);
            sitePeers.Attach(new SiteInbox(this));
        }
    }

    /// <summary>The registry as of the last reload.</summary>
    public RegistrySnapshot Registry => _registry;

    /// <summary>Who hears what the engine decides; observers may come and go (the Matrix bridge does).</summary>
    public GatewayObservers Observers => _observers;

    internal FloorController Floor => _floor;

    internal PresenceTracker Presence => _presence;

    /// <summary>The gateway's own time per live frame (hand-over by the transport to the last listener's enqueue).</summary>
    public FanoutTimings Timings { get; } = new();

    /// <summary>Events handed to the loop and not taken yet: how far behind it is (diagnostics and the bench).</summary>
    public int QueuedEvents => _loop.Queued;

    private DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>
    /// Before the loop runs (at start-up, where waiting on storage is fine): the registry, and the voice messages that
    /// were waiting for a floor when the gateway stopped. A gateway sharing its database (and its recordings folder)
    /// with others loads a channel's waiting messages when it comes to own the channel instead (GatewayEngine.Takeover).
    /// </summary>
    public async Task LoadAsync(RegistrySnapshot registry)
    {
        SetRegistry(registry);
        if (_ownership.Alone)
        {
            RestoreQueuedAudio(await Task.Run(() => _queuedFiles.Load(SkippedUnreadableQueued)));
        }

        ReconcileEmergencies();
        _lastTalkers.Load(await _storage.LastTalkersAsync());
        _permits.Check(_registry, Now, firstLook: true);
        ForgetLocationsUnlessZonesOn();
        NoteTimedWork();
    }

    public void OnUplink(string badgeId, TopicKind kind, byte[] payload) => Post(new UplinkEvent(badgeId, kind, payload, System.Diagnostics.Stopwatch.GetTimestamp()));

    public void OnConnected(string badgeId) => Post(new ConnectedEvent(badgeId));

    public void OnDisconnected(string badgeId) => Post(new DisconnectedEvent(badgeId));

    /// <summary>Asks the loop to move the floor timers and paced streams on (the ticker calls it when something is due, every 20 ms while work is paced).</summary>
    public void Tick()
    {
        _tickQueued = true;
        Post(new TickEvent());
    }

    /// <summary>Hands the loop a new registry snapshot (the reloader calls it when the registry changed).</summary>
    public void Reload(RegistrySnapshot registry) => Post(new ReloadEvent(registry));

    /// <summary>
    /// Hands the event to the loop: handled here and now when the loop is idle and has started (with whatever else is
    /// queued, up to a bound), else queued for the thread handling events. Never waits for an event to be handled.
    /// </summary>
    internal void Post(EngineEvent e) => _loop.Post(e);

    /// <summary>Ends every burst cleanly (recordings finished, listeners told), then stops taking events.</summary>
    public Task ShutdownAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(new ShutdownEvent(done));
        return done.Task;
    }

    /// <summary>
    /// Starts taking events (those handed over before too) and ends once the engine has shut down; a cancellation stops
    /// it taking events, once the one being handled is done.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _loop.Start();
        try
        {
            await _loop.Ended.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _loop.Stop();
            await _loop.Ended;
            throw;
        }
    }

    private async Task HandleEventAsync(EngineEvent e)
    {
        if (e is TickEvent)
        {
            _tickQueued = false;
        }

        try
        {
            if (e is ShutdownEvent shutdown)
            {
                await EndAllAsync();
                await OutlastAnsweredPressesAsync();
                _loop.Stop();
                shutdown.Done.TrySetResult();
                return;
            }

            await HandleAsync(e);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Engine failed on {Event}", e.GetType().Name);
        }

        NoteTimedWork();
    }

    private Task HandleAsync(EngineEvent e) => e switch
    {
        UplinkEvent u => HandleUplinkAsync(u),
        ConnectedEvent c => HandleConnectedAsync(c.BadgeId),
        DisconnectedEvent d => HandleDisconnectedAsync(d.BadgeId),
        TickEvent => HandleTickAsync(),
        ReloadEvent r => ApplyRegistryAsync(r.Registry),
        QueueAudioEvent q => HandleQueueAudioAsync(q),
        PrivateAudioEvent p => HandlePrivateAudioAsync(p),
        DropQueuedAudioEvent d => HandleDropQueuedAudioAsync(d),
        FoundQueuedAudioEvent f => HandleFoundQueuedAudioAsync(f),
        SiteEvent s => HandleSiteEventAsync(s),
        RemoteBurstStartEvent r => HandleRemoteStartAsync(r),
        RemoteFrameEvent r => HandleRemoteFrameAsync(r),
        RemoteBurstEndEvent r => HandleRemoteEndAsync(r.Site, r.SiteBurstId, completed: true),
        RemoteSiteGoneEvent r => HandleRemoteSiteGoneAsync(r.Site),
        _ => Task.CompletedTask,
    };

    private async Task HandleUplinkAsync(UplinkEvent e)
    {
        if (_refusals.BannedFor(e.BadgeId) is not null)
        {
            return; // kept out for its refusals, whichever transport it came by
        }

        if (_registry.Badge(e.BadgeId) is null)
        {
            if (_refusals.Refuse(e.BadgeId, RefusalKind.Unregistered))
            {
                _logger.LogWarning("Ignored message from unregistered badge {Badge}", e.BadgeId);
            }

            return;
        }

        switch (e.Kind)
        {
            case TopicKind.UpAudio:
                ForgetKeptPress(e.BadgeId); // it talks: another gateway granted its press
                await HandleFrameAsync(e.BadgeId, e.Payload, e.ReceivedAt);
                break;
            case TopicKind.UpState when LastWill.Matches(e.Payload, 0, e.Payload.Length):
                await HandleControlAsync(e.BadgeId, new BadgeState { Status = BadgeStatus.Offline }, e.ReceivedAt);
                break;
            case TopicKind.UpControl:
            case TopicKind.UpState:
                var error = _reader.Read(e.Payload, 0, e.Payload.Length, ControlDirection.Uplink);
                if (error != ProtocolError.None || (e.Kind == TopicKind.UpState) != (_reader.Message is BadgeState))
                {
                    if (_refusals.Refuse(e.BadgeId, RefusalKind.Malformed))
                    {
                        _logger.LogWarning("Dropped malformed control message from badge {Badge} on {Kind}: {Error}",
                            e.BadgeId, e.Kind, error == ProtocolError.None ? "wrong topic for " + MessageType.Name(_reader.Message!.Type) : error.ToString());
                    }

                    return;
                }

                await HandleControlAsync(e.BadgeId, _reader.Message!, e.ReceivedAt);
                break;
        }
    }

    // receivedAt: the message's Stopwatch timestamp when its transport handed it over (a press is judged from then).
    private async Task HandleControlAsync(string badgeId, ControlMessage message, long receivedAt)
    {
        if (message is not (BadgeState or SleepAnnouncement) && _presence.OnTraffic(badgeId))
        {
            ReportPresence(badgeId);
            await CameOnlineAsync(badgeId);
        }

        if (ChannelOf(message) is { } channel && !Serves(channel))
        {
            NoteUnservedPress(badgeId, message, receivedAt); // kept a moment, in case this gateway is its new owner
            return; // the channel's owner answers
        }

        if (message is FloorRequest or FloorRelease or ReplyRequest)
        {
            ForgetKeptPress(badgeId); // a newer press, or the press is over
        }

        switch (message)
        {
            case FloorRequest request:
                await RequestFloorAsync(badgeId, request, receivedAt);
                break;
            case FloorRelease release:
                if (_floor.Release(badgeId, release.Channel, release.BurstId) is { } end)
                {
                    await EndBurstAsync(end, release.FrameCount);
                }
                else
                {
                    await TryReleaseReplyAsync(badgeId, release);
                }

                break;
            case ReplyRequest reply:
                await RequestReplyAsync(badgeId, reply);
                break;
            case SleepAnnouncement sleep:
                _presence.OnSleep(badgeId, sleep);
                ReportPresence(badgeId);
                break;
            case PlayRequest play:
                await StartRecordingPlaybackAsync(badgeId, play.BurstId);
                break;
            case Played played when ServesBadge(badgeId):
                _storage.MarkPlayed(badgeId, played.BurstId);
                _observers.OnBurstPlayed(badgeId, played.BurstId);
                break;
            case PermitAccept accept:
                await ChangeAcceptanceAsync(badgeId, accept.Channel, await _storage.AcceptPermitsAsync(badgeId, accept.Channel, accept.Permits), "accepted");
                break;
            case AccessPoint accessPoint when ServesBadge(badgeId):
                ReportLocation(badgeId, accessPoint);
                break;
            case Emergency emergency when ServesBadge(badgeId):
                await HandleEmergencyAsync(badgeId, emergency.Open);
                break;
            case DoNotDisturb dnd when ServesBadge(badgeId):
                SetDoNotDisturb(badgeId, dnd.On);
                break;
            case PermitWithdraw withdraw:
                await ChangeAcceptanceAsync(badgeId, withdraw.Channel, await _storage.WithdrawPermitsAsync(badgeId, withdraw.Channel, withdraw.Permits), "withdrew");
                break;
            case BadgeState state:
                var cameOnline = _presence.OnState(badgeId, state);
                ReportPresence(badgeId);
                if (_lowBattery.ShouldAlert(badgeId, state.BatteryPercent) && ServesBadge(badgeId))
                {
                    _logger.LogWarning("Badge {Badge} battery low: {Percent} %", badgeId, state.BatteryPercent);
                    _observers.OnLowBattery(badgeId, state.BatteryPercent);
                }

                if (state.Status == BadgeStatus.Offline)
                {
                    ForgetKeptPress(badgeId);
                    StopDeliveringTo(badgeId);
                }
                else if (cameOnline)
                {
                    await CameOnlineAsync(badgeId);
                }

                break;
        }
    }

    private async Task ChangeAcceptanceAsync(string badgeId, byte channel, byte? accepted, string verb)
    {
        if (accepted is null)
        {
            if (_refusals.Refuse(badgeId, RefusalKind.Permit))
            {
                _logger.LogWarning("Badge {Badge} {Verb} permits on channel {Channel}, but none were offered", badgeId, verb, channel);
            }

            return;
        }

        _logger.LogInformation("Badge {Badge} {Verb} permits on channel {Channel}: now {Accepted}", badgeId, verb, channel, accepted);
        await ApplyRegistryAsync(await _storage.LoadRegistryAsync());
    }

    /// <summary>
    /// A connection alone is not "online": a new session has no subscription yet, so what we sent now could be lost.
    /// The badge's <c>badge-state</c>, published once it subscribed, is what brings its config and what it is owed.
    /// </summary>
    private Task HandleConnectedAsync(string badgeId)
    {
        _presence.OnConnected(badgeId);
        ReportPresence(badgeId);
        return Task.CompletedTask;
    }

    private Task HandleDisconnectedAsync(string badgeId)
    {
        _presence.OnDisconnected(badgeId);
        ReportPresence(badgeId);
        ForgetKeptPress(badgeId);
        StopDeliveringTo(badgeId);
        return Task.CompletedTask;
    }

    /// <summary>A badge that went away mid-burst did not hear it: it goes back to being owed the burst.</summary>
    private void StopDeliveringTo(string badgeId)
    {
        foreach (var burst in _bursts.Values.Concat(_replies.Values))
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
        _quietSent.Remove(badgeId);
        if (ServesBadge(badgeId))
        {
            await SendConfigAsync(badgeId, force: true);
            await SendPendingOffersAsync(badgeId);
            await SendUnplayedListAsync(badgeId);
            await SendOpenEmergenciesAsync(badgeId);
        }

        foreach (var burst in _bursts.Values.ToArray())
        {
            if (burst.Talker.Key != badgeId && !burst.Reached.Contains(badgeId) && MayHear(badgeId, burst.Channel)
                && !HeldByQuiet(badgeId, burst.Channel, burst.AlwaysHeard))
            {
                await JoinLateAsync(badgeId, burst);
            }
        }
    }

    private bool MayHear(string badgeId, byte channel) =>
        PermitWatcher.MayHear(_registry.EffectivePermits(badgeId, channel, Now));

    private Task SendAsync(Talker talker, ControlMessage message) =>
        talker.IsBadge ? SendAsync(talker.Name, message) : Task.CompletedTask; // a Matrix sender has no badge to tell

    private async Task SendAsync(string badgeId, ControlMessage message) => await _link.SendControlAsync(badgeId, message.ToBytes());

    private async Task SendConfigAsync(string badgeId, bool force)
    {
        if (_registry.Badge(badgeId) is null || !ServesBadge(badgeId))
        {
            return;
        }

        var config = BadgeConfigBuilder.Build(_registry, badgeId, Now, _options);
        config.CheckInSeconds = CheckInSecondsFor(badgeId, config.CheckInSeconds);
        var options = BadgeConfigBuilder.Options(_registry, config);
        var talker = TalkerOptionsFor(badgeId);
        byte[] content = [.. BadgeConfigBuilder.Content(config), .. options.ToBytes(), .. talker?.ToBytes() ?? []];
        if (!force && _configSent.TryGetValue(badgeId, out var sent) && sent.AsSpan().SequenceEqual(content))
        {
            return;
        }

        _configSent[badgeId] = content;
        await SendAsync(badgeId, config);
        await SendAsync(badgeId, options);
        if (talker is not null)
        {
            await SendAsync(badgeId, talker);
            if (talker.MayOverride)
            {
                _mayOverride.Add(badgeId);
            }
            else
            {
                _mayOverride.Remove(badgeId);
            }
        }
    }

    /// <summary>
    /// What the badge may do as a talker: said to priority badges, and once more to one that stopped being one; the
    /// others (and badges older than the message) keep the default, which is what they would be told.
    /// </summary>
    private TalkerOptions? TalkerOptionsFor(string badgeId)
    {
        var priority = _registry.Badge(badgeId)!.Priority;
        if (!priority && !_mayOverride.Contains(badgeId))
        {
            return null;
        }

        return new TalkerOptions { Flags = priority ? TalkerOptions.Override : (byte)0 };
    }

    private async Task SendUnplayedListAsync(string badgeId)
    {
        var all = await _storage.UnplayedAsync(badgeId);
        var queue = Offerable(badgeId, all);
        await SendQuietStateAsync(badgeId, all.Count - queue.Count);
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
            Talker = TalkerName(Talker.FromKey(r.BadgeId)),
        }).ToArray();
        await SendAsync(badgeId, new UnplayedList { Entries = entries });
    }

    private string TalkerName(Talker talker) => talker.IsBadge ? _registry.Badge(talker.Name)?.Name ?? talker.Name : talker.Name;

    private void SetRegistry(RegistrySnapshot registry)
    {
        _registry = registry;
        _current.Set(registry);
    }

    /// <summary>Presence goes to the observers (the status tables write it in batches).</summary>
    private void ReportPresence(string badgeId)
    {
        if (!ServesBadge(badgeId))
        {
            return;
        }

        var p = _presence.Get(badgeId);
        _observers.OnPresenceChanged(new PresenceRecord(badgeId, p.State.ToString().ToLowerInvariant(), p.PocketUntil?.ToUnixTimeSeconds() ?? 0,
            p.LastSeen.ToUnixTimeMilliseconds(), p.BatteryPercent, p.Rssi, p.Firmware));
    }
}
