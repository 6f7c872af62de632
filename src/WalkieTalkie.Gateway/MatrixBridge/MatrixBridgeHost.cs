using Microsoft.Extensions.Logging;
using WalkieTalkie.Bridge.Channels;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Bridge.State;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.MatrixBridge.Linking;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Matrix.Client;
using WalkieTalkie.Matrix.Client.Sessions;
using WalkieTalkie.Matrix.Device;
using WalkieTalkie.Matrix.Sending;

namespace WalkieTalkie.Gateway.MatrixBridge;

/// <summary>
/// The bridge in the running gateway: one <see cref="MatrixDevice"/> per linked badge (from its stored
/// session; it never logs in by itself), one <see cref="ChannelBridge"/> per linked channel, a loop that pumps finished
/// bursts into the outbox when the engine reports a recording finished (<see cref="IGatewayObserver.OnBurstRecorded"/>),
/// and the outbox's "sent" reports handed back to the bridges; the incoming path (room messages and state into the
/// bridges, through a persistent queue: <c>MatrixBridgeHost.Incoming.cs</c>), permit mirroring
/// (<c>MatrixBridgeHost.Permits.cs</c>) and read receipts for played bursts (<c>MatrixBridgeHost.Receipts.cs</c>).
/// </summary>
public sealed partial class MatrixBridgeHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _halting = new();
    private bool _halted;
    private readonly List<MatrixClient> _clients = [];
    private readonly Dictionary<string, ChannelBridge> _bridgesByRoom = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _pumpSignal = new(0);
    private readonly BridgeStores _stores;
    private DeviceRoomSender _sender = null!;
    private IDisposable? _observing;
    private Task? _pump;
    private TimeSpan? _lookEvery;

    private MatrixBridgeHost(BridgeStores stores, ILogger logger)
    {
        _stores = stores;
        _logger = logger;
    }

    /// <summary>The running devices.</summary>
    public BadgeDevices Devices { get; } = new();

    /// <summary>The bridges by channel.</summary>
    public IReadOnlyDictionary<string, ChannelBridge> Bridges { get; private set; } = new Dictionary<string, ChannelBridge>();

    /// <summary>Starts the devices and bridges of what is linked in the stores.</summary>
    /// <param name="stores">The gateway's storage: links, recordings, the bridge's tables.</param>
    /// <param name="options">The <c>Matrix</c> settings.</param>
    /// <param name="dataDirectory">The gateway's data folder (each badge device's session and key store live below it).</param>
    /// <param name="loggers">Where the bridge logs.</param>
    /// <param name="player">Plays voice messages from the rooms on the badges (the gateway engine's <see cref="EngineBadgePlayer"/>).</param>
    /// <param name="registryChanges">Tells when the registry changed (permits to mirror).</param>
    /// <param name="recordings">Opens finished bursts' recordings (sealed at rest) for their voice messages.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <param name="sites">This gateway's id among the sites of its rooms and the other sites' bursts heard live here; null without sites.</param>
    /// <param name="lookEvery">With several gateways on one database: how often the feed is looked at for the bursts the
    /// other gateways recorded, in case their hand-over's wake (below) was lost; null when this gateway records them all.</param>
    /// <param name="handOver">With several gateways on one database, where every gateway's engine reports go (the bridge then
    /// reads them from the database rather than from this gateway's engine); null or inactive alone.</param>
    /// <param name="halt">Halts the bridge at once when thrown (<see cref="Halt"/>), start-up included: the bridge's lease ending.</param>
    public static async Task<MatrixBridgeHost> StartAsync(BridgeStores stores, MatrixBridgeOptions options, string dataDirectory,
        ILoggerFactory loggers, IBadgePlayer player, IRegistryChanges registryChanges, RecordingReader recordings,
        CancellationToken cancellationToken = default, (string GatewayId, IHeardLive HeardLive)? sites = null, TimeSpan? lookEvery = null,
        EngineReportHandOver? handOver = null, BridgeHalt? halt = null)
    {
        var logger = loggers.CreateLogger("WalkieTalkie.Gateway.MatrixBridge");
        var host = new MatrixBridgeHost(stores, logger) { _lookEvery = lookEvery, _handOver = handOver is { Active: true } ? handOver : null };
        // A bridge halted while starting (its lease ending) halts the devices started so far and any started after.
        halt?.Attach(host);
        try
        {
            await host.OpenAsync(options, dataDirectory, loggers, player, registryChanges, recordings, sites, cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private async Task OpenAsync(MatrixBridgeOptions options, string dataDirectory, ILoggerFactory loggers, IBadgePlayer player,
        IRegistryChanges registryChanges, RecordingReader recordings, (string GatewayId, IHeardLive HeardLive)? sites, CancellationToken ct)
    {
        var links = _stores.Links;
        var transcoder = new MediaVoiceTranscoder(recordings);
        PrepareIncoming(links);
        PrepareDirectRooms(links, transcoder, player);
        var homeserver = new Uri(options.Homeserver!);
        foreach (var badge in links.Badges())
        {
            var store = new FileSessionStore(Path.Combine(options.BadgeDirectory(dataDirectory, badge.BadgeId), "session.json"));
            var client = await MatrixClient.ConnectAsync(homeserver, store, credentials: null, logger: _logger, cancellationToken: ct);
            _clients.Add(client);
            var device = await MatrixDevice.OpenAsync(client, BadgeLinker.DeviceOptions(options, dataDirectory, badge.BadgeId, null),
                loggers.CreateLogger($"WalkieTalkie.Gateway.MatrixBridge.{badge.BadgeId}"), ct);
            AddDevice(device);
            WatchIncoming(device);
            WatchInvites(device);
            await device.StartAsync(ct);
            var userId = badge.UserId;
            device.Outbox.EntrySent += entry => OnEntrySent(userId, entry);
            device.Outbox.EntryFailed += entry => OnEntryFailed(userId, entry);
        }

        _sender = new DeviceRoomSender(_stores.OutboxMap, Devices);
        var bridgeLog = new LoggerBridgeLog(_logger);
        var bridges = new Dictionary<string, ChannelBridge>(StringComparer.Ordinal);
        var rates = _stores.Channels.List().ToDictionary(c => c.Name, c => c.SampleRate);
        var roomSender = new BridgeRoomSender(_sender, StateSender);
        var channelLinks = links.Channels();
        await ConnectGrantersAsync(options, dataDirectory, channelLinks, ct);
        foreach (var channel in channelLinks)
        {
            foreach (var badge in links.BadgesOf(channel.Channel))
            {
                await JoinBadgeAsync(channel, badge, ct);
            }
            var ports = new BridgePorts(_stores.Feed, transcoder, transcoder, new DeviceMediaTransfer(Devices), roomSender,
                player, _sender, new LinkedBadgeTable(_stores, _logger), _stores.Threads, _stores.Index, bridgeLog);
            var link = new ChannelLink(channel.Channel, channel.RoomId, channel.GranterUserId, rates.GetValueOrDefault(channel.Channel, 8000),
                GatewayId: sites?.GatewayId, HeardLive: sites?.HeardLive);
            var bridge = new ChannelBridge(link, ports, new RoomWalkieState(RoomPowerLevels.WithoutEvent(channel.GranterUserId)));
            bridges[channel.Channel] = bridge;
            _bridgesByRoom[channel.RoomId] = bridge;
        }
        Bridges = bridges;
        await StartPermitMirroringAsync(options, channelLinks, registryChanges, ct);
        ObserveEngine(player);
        await StartIncomingAsync(ct);
        _pump = Task.Run(() => PumpLoopAsync(TimeSpan.FromSeconds(options.HomeserverRetryMaxSeconds), _stop.Token), CancellationToken.None);
        _logger.LogInformation("Matrix bridge running: {Badges} badge devices, {Channels} linked channels", Devices.All.Count, bridges.Count);
    }

    // Every finished recording and every "sent" report wakes the pump (the engine's observer, OnEntrySent); it pumps all
    // linked channels (a cheap indexed query each) and the private replies to Matrix users, once at start for what
    // finished while the bridge was away. A blocked bridge (homeserver away) is left alone for a growing while instead
    // of being retried at every wake. With several gateways on one database the engine here hears only of its own
    // channels' bursts: the pump also looks every _lookEvery, so another gateway's burst goes out within that.
    private async Task PumpLoopAsync(TimeSpan blockedMax, CancellationToken ct)
    {
        var backoffs = Bridges.Keys.ToDictionary(channel => channel, _ => new BlockedPumpBackoff(blockedMax), StringComparer.Ordinal);
        var directBackoff = new BlockedPumpBackoff(blockedMax);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var now = DateTimeOffset.UtcNow;
                foreach (var (channel, bridge) in Bridges)
                {
                    var backoff = backoffs[channel];
                    if (!backoff.IsDue(now))
                    {
                        continue;
                    }

                    var status = await bridge.PumpOutgoingAsync(ct);
                    var wait = backoff.Record(status, DateTimeOffset.UtcNow);
                    if (wait > TimeSpan.Zero)
                    {
                        _logger.LogDebug("Channel {Channel}: bursts wait in the feed; next try in {Wait:0.#} s", channel, wait.TotalSeconds);
                    }
                }

                if (directBackoff.IsDue(now))
                {
                    directBackoff.Record(await PumpDirectRepliesAsync(ct), DateTimeOffset.UtcNow);
                }

                var nextDue = backoffs.Values.Append(directBackoff).Select(b => b.NotBefore).Where(t => t != DateTimeOffset.MinValue).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
                var sleep = nextDue == DateTimeOffset.MaxValue ? Timeout.InfiniteTimeSpan : Max(TimeSpan.Zero, nextDue - DateTimeOffset.UtcNow);
                if (_lookEvery is { } look && (sleep == Timeout.InfiniteTimeSpan || sleep > look))
                {
                    sleep = look;
                }

                await _pumpSignal.WaitAsync(sleep, ct);
                while (_pumpSignal.CurrentCount > 0)
                {
                    await _pumpSignal.WaitAsync(ct); // one pass serves every wake that came meanwhile
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Asks the pump for a pass (a burst's recording finished, a message was sent).</summary>
    private void WakePump() => _pumpSignal.Release();

    // Raised on the outbox's loop: handed to the bridge on another task, never inside a port call. The entry is sent
    // whatever happens here; a report that cannot be taken (the database away) is logged, and the bridge learns the
    // event id from the outbox when it needs it (a thread's root, SentEventIdAsync).
    private void OnEntrySent(string userId, OutboxEntry entry)
    {
        if (entry.EventId is not { } eventId || !_bridgesByRoom.TryGetValue(entry.RoomId, out var bridge))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                if (_sender.TransactionOf(userId, entry.Id) is not { } txn)
                {
                    return;
                }

                await bridge.OnEventSentAsync(txn, eventId, _stop.Token);
                WakePump();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogWarning("Bridge could not take the sent report of outbox entry {Entry} of {User}: {Error}", entry.Id, userId, e.Message);
            }
        });
    }

    private void OnEntryFailed(string userId, OutboxEntry entry)
    {
        if (!_bridgesByRoom.TryGetValue(entry.RoomId, out var bridge))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                if (_sender.TransactionOf(userId, entry.Id) is { } txn)
                {
                    var reason = entry.State == OutboxState.Stuck
                        ? "stuck after repeated failures, kept until someone retries it (" + entry.Error + ")"
                        : "refused by the homeserver (" + entry.Error + ")";
                    await bridge.OnEventFailedAsync(txn, reason, _stop.Token);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogWarning("Bridge could not take the failed report of outbox entry {Entry} of {User}: {Error}", entry.Id, userId, e.Message);
            }
        });
    }

    /// <summary>
    /// Stops driving the badges' Matrix accounts at once, on the calling thread, without waiting for the thread pool:
    /// every device's outbox and sync loop, their requests in flight included, then the bridge's own loops (presence,
    /// receipts, invites, the pump). For a gateway whose lease of the bridge ends: another gateway may take the devices
    /// soon after. What was queued stays in the outboxes; <see cref="DisposeAsync"/> still closes the rest, on the pool.
    /// </summary>
    public void Halt()
    {
        lock (_halting)
        {
            _halted = true;
        }

        var devices = Devices.All;
        foreach (var device in devices)
        {
            device.Halt();
        }

        _logger.LogInformation("Matrix bridge halted: {Devices} badge devices' outboxes and sync loops cancelled", devices.Count);
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
        catch (AggregateException e)
        {
            _logger.LogWarning("Halting the Matrix bridge: {Error}", e.Message);
        }
    }

    // A device started while the bridge was being halted is halted too: Halt may come between its start and its listing.
    private void AddDevice(MatrixDevice device)
    {
        bool halted;
        lock (_halting)
        {
            Devices.Add(device);
            halted = _halted;
        }

        if (halted)
        {
            device.Halt();
        }
    }

    /// <summary>Stops the loop and the devices (what is queued stays in the outbox).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_pump is not null)
        {
            try { await _pump; } catch (Exception e) { _logger.LogDebug(e, "Bridge pump ended with an error"); }
        }
        _observing?.Dispose();
        await StopIncomingAsync();
        await StopEngineReportsAsync();
        await StopPermitMirroringAsync();
        foreach (var device in Devices.All)
        {
            await device.DisposeAsync();
        }

        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }
}
