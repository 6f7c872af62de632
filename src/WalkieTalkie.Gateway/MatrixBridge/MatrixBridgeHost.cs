using Microsoft.Extensions.Logging;
using WalkieTalkie.Bridge.Channels;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Bridge.State;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.MatrixBridge.Linking;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage.Sqlite.Bridge;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Matrix.Client.Sessions;
using WalkieTalkie.Matrix.Client;
using WalkieTalkie.Matrix.Device;
using WalkieTalkie.Matrix.Sending;

namespace WalkieTalkie.Gateway.MatrixBridge;

/// <summary>
/// The bridge in the running gateway: one <see cref="MatrixDevice"/> per linked badge (from its stored
/// session; it never logs in by itself), one <see cref="ChannelBridge"/> per linked channel, a loop that pumps finished
/// bursts into the outbox, and the outbox's "sent" reports handed back to the bridges; the incoming path (room messages
/// and state into the bridges, through a persistent queue: <c>MatrixBridgeHost.Incoming.cs</c>), permit mirroring
/// (<c>MatrixBridgeHost.Permits.cs</c>) and read receipts for played bursts (<c>MatrixBridgeHost.Receipts.cs</c>).
/// </summary>
public sealed partial class MatrixBridgeHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<MatrixClient> _clients = [];
    private readonly Dictionary<string, ChannelBridge> _bridgesByRoom = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private DeviceRoomSender _sender = null!;
    private SqliteDatabase? _database;
    private Task? _pump;

    private MatrixBridgeHost(ILogger logger) => _logger = logger;

    /// <summary>The running devices.</summary>
    public BadgeDevices Devices { get; } = new();

    /// <summary>The bridges by channel.</summary>
    public IReadOnlyDictionary<string, ChannelBridge> Bridges { get; private set; } = new Dictionary<string, ChannelBridge>();

    /// <summary>Starts the devices and bridges of what is linked in the database.</summary>
    /// <param name="database">The gateway database: links, recordings, the bridge's tables.</param>
    /// <param name="options">The <c>Matrix</c> settings.</param>
    /// <param name="dataDirectory">The gateway's data folder (each badge device's session and key store live below it).</param>
    /// <param name="loggers">Where the bridge logs.</param>
    /// <param name="player">Plays voice messages from the rooms on the badges (the gateway engine's <c>EngineBadgePlayer</c>).</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    public static async Task<MatrixBridgeHost> StartAsync(SqliteDatabase database, MatrixBridgeOptions options, string dataDirectory,
        ILoggerFactory loggers, IBadgePlayer player, CancellationToken cancellationToken = default)
    {
        var logger = loggers.CreateLogger("WalkieTalkie.Gateway.MatrixBridge");
        var host = new MatrixBridgeHost(logger);
        try
        {
            await host.OpenAsync(database, options, dataDirectory, loggers, player, cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private async Task OpenAsync(SqliteDatabase database, MatrixBridgeOptions options, string dataDirectory, ILoggerFactory loggers,
        IBadgePlayer player, CancellationToken ct)
    {
        _database = database;
        var links = new BridgeLinks(database);
        PrepareIncoming(database, links);
        var homeserver = new Uri(options.Homeserver!);
        foreach (var badge in links.Badges())
        {
            var store = new FileSessionStore(Path.Combine(options.BadgeDirectory(dataDirectory, badge.BadgeId), "session.json"));
            var client = await MatrixClient.ConnectAsync(homeserver, store, credentials: null, logger: _logger, cancellationToken: ct);
            _clients.Add(client);
            var device = await MatrixDevice.OpenAsync(client, BadgeLinker.DeviceOptions(options, dataDirectory, badge.BadgeId, null),
                loggers.CreateLogger($"WalkieTalkie.Gateway.MatrixBridge.{badge.BadgeId}"), ct);
            Devices.Add(device);
            WatchIncoming(device);
            await device.StartAsync(ct);
            var userId = badge.UserId;
            device.Outbox.EntrySent += entry => OnEntrySent(userId, entry);
            device.Outbox.EntryFailed += entry => OnEntryFailed(userId, entry);
        }

        _sender = new DeviceRoomSender(database, Devices);
        var transcoder = new MediaVoiceTranscoder();
        var bridgeLog = new LoggerBridgeLog(_logger);
        var bridges = new Dictionary<string, ChannelBridge>(StringComparer.Ordinal);
        var rates = new SqliteChannelStore(database).List().ToDictionary(c => c.Name, c => c.SampleRate);
        var roomSender = new BridgeRoomSender(_sender, StateSender);
        var channelLinks = links.Channels();
        foreach (var channel in channelLinks)
        {
            foreach (var badge in links.BadgesOf(channel.Channel))
            {
                try { await Devices.Of(badge.UserId).JoinRoomAsync(channel.RoomId, ct); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _logger.LogWarning("Badge {Badge} could not join {Room}: {Error}", badge.BadgeId, channel.RoomId, e.Message);
                }
            }
            var ports = new BridgePorts(new SqliteBurstFeed(database), transcoder, transcoder, new DeviceMediaTransfer(Devices), roomSender,
                player, _sender, new LinkedBadgeTable(database, links, _logger), new SqliteThreadStore(database),
                new SqliteBurstIndex(database), bridgeLog);
            var link = new ChannelLink(channel.Channel, channel.RoomId, channel.GranterUserId, rates.GetValueOrDefault(channel.Channel, 8000));
            var bridge = new ChannelBridge(link, ports, new RoomWalkieState(RoomPowerLevels.WithoutEvent(channel.GranterUserId)));
            bridges[channel.Channel] = bridge;
            _bridgesByRoom[channel.RoomId] = bridge;
        }
        Bridges = bridges;
        await StartPermitMirroringAsync(database, options, dataDirectory, channelLinks, ct);
        StartReceipts(database, player);
        await StartIncomingAsync(ct);
        _pump = Task.Run(() => PumpLoopAsync(TimeSpan.FromSeconds(options.PumpSeconds), TimeSpan.FromSeconds(options.HomeserverRetryMaxSeconds),
            _stop.Token), CancellationToken.None);
        _logger.LogInformation("Matrix bridge running: {Badges} badge devices, {Channels} linked channels", Devices.All.Count, bridges.Count);
    }

    // The recorder has no "burst finished" hook the bridge may use, so finished bursts are polled (a cheap indexed query).
    // A blocked bridge (homeserver away) is left alone for a growing while instead of being retried every period.
    private async Task PumpLoopAsync(TimeSpan period, TimeSpan blockedMax, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(period);
        var backoffs = Bridges.Keys.ToDictionary(channel => channel, _ => new BlockedPumpBackoff(blockedMax), StringComparer.Ordinal);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                foreach (var (channel, bridge) in Bridges)
                {
                    var backoff = backoffs[channel];
                    if (!backoff.IsDue(DateTimeOffset.UtcNow))
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
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    // Raised on the outbox's loop: handed to the bridge on another task, never inside a port call.
    private void OnEntrySent(string userId, OutboxEntry entry)
    {
        if (entry.EventId is null || _sender.TransactionOf(userId, entry.Id) is not { } txn)
        {
            return;
        }

        if (!_bridgesByRoom.TryGetValue(entry.RoomId, out var bridge))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await bridge.OnEventSentAsync(txn, entry.EventId, _stop.Token);
                await bridge.PumpOutgoingAsync(_stop.Token);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogWarning("Bridge could not take the sent report of {Transaction}: {Error}", txn, e.Message);
            }
        });
    }

    private void OnEntryFailed(string userId, OutboxEntry entry)
    {
        if (_sender.TransactionOf(userId, entry.Id) is not { } txn || !_bridgesByRoom.TryGetValue(entry.RoomId, out var bridge))
        {
            return;
        }

        _ = Task.Run(() => bridge.OnEventFailedAsync(txn, entry.Error ?? "refused", _stop.Token));
    }

    /// <summary>Stops the loop and the devices (what is queued stays in the outbox).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_pump is not null)
        {
            try { await _pump; } catch (Exception e) { _logger.LogDebug(e, "Bridge pump ended with an error"); }
        }
        await StopIncomingAsync();
        await StopReceiptsAsync();
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
