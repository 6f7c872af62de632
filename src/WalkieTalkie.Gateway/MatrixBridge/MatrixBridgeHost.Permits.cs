using System.Text.Json;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Bridge.Channels;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.MatrixBridge.Linking;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Matrix.Client;

namespace WalkieTalkie.Gateway.MatrixBridge;

// Permit mirroring: the gateway's permit table and the rooms' org.matrix.msc4002.accept / .permit state, both ways.
public sealed partial class MatrixBridgeHost
{
    private readonly HashSet<string> _roomStateRead = new(StringComparer.Ordinal);
    private RoomStateSender? _stateSender;
    private Task? _permitLoop;

    private RoomStateSender StateSender => _stateSender ??= new RoomStateSender(AccountClient, _logger);

    /// <summary>
    /// Mirrors one channel's permits now (both ways). The incoming path calls it after it applied a room state event
    /// to the channel's bridge (<see cref="ChannelBridge.OnRoomStateEventAsync"/>); the host calls it at start, when
    /// the registry changes, and every <see cref="MatrixBridgeOptions.PermitRereadSeconds"/>. Never throws (but for cancellation): a failure
    /// is logged and the next call tries again.
    /// </summary>
    internal async Task MirrorPermitsAsync(string channel, CancellationToken cancellationToken)
    {
        if (!Bridges.TryGetValue(channel, out var bridge))
        {
            return;
        }

        try
        {
            var plan = await bridge.MirrorPermitsAsync(cancellationToken);
            // Until the room echoes the gateway's own events, each plan lists them again (sent once, by transaction id).
            if (!plan.IsEmpty)
            {
                _logger.Log(plan.ToApply.Count > 0 ? LogLevel.Information : LogLevel.Debug,
                    "Channel {Channel}: permits mirrored, {Send} state events planned, {Apply} changes applied to the gateway",
                    channel, plan.ToSend.Count, plan.ToApply.Count);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Channel {Channel}: permits not mirrored, will try again: {Error}", channel, e.Message);
        }
    }

    // The incoming path folded a state event into a bridge: a permit or accept changed in the room may change the
    // gateway's table (and the gateway may owe the room an answer). Not awaited: the incoming worker must not wait on
    // the outbox; the bridge serialises the calls, and mirroring never throws.
    partial void OnRoomStateFolded(string roomId, ChannelBridge bridge, RoomStateEvent stateEvent)
    {
        if (!stateEvent.Type.StartsWith("org.matrix.msc4002.", StringComparison.Ordinal) && stateEvent.Type != WalkieEventTypes.PowerLevels)
        {
            return;
        }

        var channel = Bridges.FirstOrDefault(b => ReferenceEquals(b.Value, bridge)).Key;
        if (channel is null)
        {
            return;
        }

        _ = Task.Run(() => MirrorKnownRoomAsync(channel, _stop.Token), CancellationToken.None);
    }

    private async Task StartPermitMirroringAsync(MatrixBridgeOptions options, IReadOnlyList<ChannelRoomLink> channels,
        IRegistryChanges registryChanges, CancellationToken ct)
    {
        foreach (var link in channels)
        {
            await LoadRoomStateAsync(link, ct);
            await MirrorKnownRoomAsync(link.Channel, ct);
        }
        var reread = TimeSpan.FromSeconds(options.PermitRereadSeconds);
        _permitLoop = Task.Run(() => PermitLoopAsync(registryChanges, channels, reread, _stop.Token), CancellationToken.None);
    }

    // The registry's version moves on every permit change (walkie permit grant/revoke/accept, a badge's
    // permit-accept/withdraw, and the mirror's own writes): each move mirrors every linked channel again, and every
    // `reread` the rooms' state is read again too (a change the sync path missed).
    private async Task PermitLoopAsync(IRegistryChanges changes, IReadOnlyList<ChannelRoomLink> channels, TimeSpan reread, CancellationToken ct)
    {
        var version = -1L;
        var lastFull = DateTimeOffset.UtcNow;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var full = false;
                using (var untilFull = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    untilFull.CancelAfter(Max(TimeSpan.Zero, lastFull + reread - DateTimeOffset.UtcNow));
                    try
                    {
                        version = await changes.WaitForChangeAsync(version, untilFull.Token);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        full = true;
                        lastFull = DateTimeOffset.UtcNow;
                    }
                }

                foreach (var link in channels)
                {
                    if (full || !RoomStateRead(link.Channel))
                    {
                        await LoadRoomStateAsync(link, ct);
                    }

                    await MirrorKnownRoomAsync(link.Channel, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    // Before the room's state was read once, the bridge would take every event the room holds for missing, and
    // its plan would overwrite them: the host's own mirroring waits for the first read (the homeserver may be away).
    private async Task MirrorKnownRoomAsync(string channel, CancellationToken ct)
    {
        if (RoomStateRead(channel))
        {
            await MirrorPermitsAsync(channel, ct);
        }
    }

    private bool RoomStateRead(string channel)
    {
        lock (_roomStateRead)
        {
            return _roomStateRead.Contains(channel);
        }
    }

    /// <summary>
    /// Reads the room's current state (<c>/state</c>, through a badge of the channel or the granter) into the channel's
    /// bridge. Sync's state events (the incoming path) may have brought newer ones meanwhile: a snapshot event older
    /// than what the bridge holds for its key is skipped.
    /// </summary>
    private async Task LoadRoomStateAsync(ChannelRoomLink link, CancellationToken ct)
    {
        if (!Bridges.TryGetValue(link.Channel, out var bridge))
        {
            return;
        }

        var reader = _stores.Links.BadgesOf(link.Channel).Select(b => Devices.Find(b.UserId)?.Client).FirstOrDefault(c => c is not null)
                     ?? AccountClient(link.GranterUserId);
        if (reader is null)
        {
            return;
        }

        try
        {
            var state = await reader.GetRoomStateAsync(link.RoomId, ct);
            var applied = 0;
            foreach (var ev in state.Where(e => e.StateKey is not null && e.Sender is not null && IsWalkieState(e.Type)))
            {
                var roomEvent = new RoomStateEvent(ev.Type, ev.StateKey, ev.Sender!, JsonSerializer.SerializeToElement(ev.Content),
                    ev.OriginServerTs ?? 0, ev.EventId);
                if (IsOlderThanHeld(bridge, roomEvent))
                {
                    continue;
                }

                await bridge.OnRoomStateEventAsync(roomEvent, ct);
                applied++;
            }
            lock (_roomStateRead)
            {
                _roomStateRead.Add(link.Channel);
            }

            _logger.LogDebug("Channel {Channel}: {Count} walkie state events read from {Room}", link.Channel, applied, link.RoomId);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            _logger.LogWarning("Channel {Channel}: the state of {Room} could not be read: {Error}", link.Channel, link.RoomId, e.Message);
        }
    }

    private static bool IsWalkieState(string type) =>
        type is WalkieEventTypes.PowerLevels or WalkieEventTypes.Channel or WalkieEventTypes.Accept or WalkieEventTypes.Permit;

    private static bool IsOlderThanHeld(ChannelBridge bridge, RoomStateEvent ev)
    {
        if (ev.Type is not (WalkieEventTypes.Accept or WalkieEventTypes.Permit))
        {
            return false;
        }

        var key = DeviceKey.ParseStateKey(ev.StateKey!);
        if (!key.IsValid)
        {
            return false;
        }

        var held = ev.Type == WalkieEventTypes.Accept ? bridge.Room.AcceptOf(key.Value)?.Event : bridge.Room.PermitOf(key.Value)?.Event;
        return held is not null && (held.EventId == ev.EventId || held.OriginServerTs > ev.OriginServerTs);
    }

    private async Task StopPermitMirroringAsync()
    {
        if (_permitLoop is not null)
        {
            try { await _permitLoop; } catch (Exception e) { _logger.LogDebug(e, "Permit loop ended with an error"); }
        }
        if (_stateSender is not null)
        {
            await _stateSender.DisposeAsync();
        }

        DisposeGranters();
    }
}
