using System.Text.Json;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Bridge.Channels;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Bridge.Incoming;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Matrix.Client.Rooms;
using WalkieTalkie.Matrix.Client.Sync;
using WalkieTalkie.Matrix.Crypto.Machine;
using WalkieTalkie.Matrix.Device;

namespace WalkieTalkie.Gateway.MatrixBridge;

// The incoming path: room messages and room state from the badges' devices into the channels' bridges, through the
// persistent IncomingQueue. Every badge device in a room delivers the same events; each is handled once: messages by
// their event id (IncomingStore), state by following one badge device per room, its state source.
public sealed partial class MatrixBridgeHost : IIncomingHandler, IReceivedEventSink
{
    /// <summary>Per room, the badge device (user id) whose state is followed. Its changes come in its timeline order;
    /// mixing two devices' copies could apply an older event after a newer one when one device lags.</summary>
    private readonly Dictionary<string, string> _stateSources = new(StringComparer.Ordinal);
    private IReadOnlySet<string> _linkedRooms = new HashSet<string>();
    private IncomingQueue? _incoming;

    /// <summary>The incoming queue's table (for diagnostics and tests).</summary>
    public IIncomingEventStore? IncomingEvents { get; private set; }

    /// <summary>Called once a state event was folded into a room's bridge (permit mirroring hooks in here).</summary>
    partial void OnRoomStateFolded(string roomId, ChannelBridge bridge, RoomStateEvent stateEvent);

    /// <summary>Before the devices start: the table and the queue, so that nothing their first sync brings is lost.</summary>
    private void PrepareIncoming(IMatrixLinkStore links)
    {
        _linkedRooms = links.Channels().Select(c => c.RoomId).ToHashSet(StringComparer.Ordinal);
        IncomingEvents = _stores.Incoming;
        _incoming = new IncomingQueue(IncomingEvents, this, _logger);
    }

    /// <summary>Subscribes to a device before it starts (its sync loop raises these).</summary>
    private void WatchIncoming(MatrixDevice device)
    {
        var source = device.Client.UserId;
        device.ReceivedEventSink = this;
        device.Rooms.StateChanged += (room, change) => OnRoomStateChanged(source, room, change);
    }

    /// <summary>After the bridges exist: each linked room's current state is folded, then the queue starts (pending first).</summary>
    private async Task StartIncomingAsync(CancellationToken ct)
    {
        foreach (var (roomId, bridge) in _bridgesByRoom)
        {
            var source = Devices.All.FirstOrDefault(d => d.Rooms.Get(roomId) is { Membership: "join" });
            if (source is null)
            {
                _logger.LogWarning("No badge device is in {Room} yet: its permits are known from the next state change only", roomId);
                continue;
            }
            _stateSources[roomId] = source.Client.UserId;
            var room = source.Rooms.Get(roomId)!;
            // The snapshot has no order: the power levels first, so that permits are judged against them.
            var events = room.Events.Values.Where(IsWalkieState)
                .OrderBy(e => e.Type == WalkieEventTypes.PowerLevels ? 0 : 1).ThenBy(e => e.OriginServerTs ?? 0);
            var folded = 0;
            foreach (var e in events)
            {
                if (ToStateEvent(e) is not { } stateEvent)
                {
                    continue;
                }

                await bridge.OnRoomStateEventAsync(stateEvent, ct);
                OnRoomStateFolded(roomId, bridge, stateEvent);
                folded++;
            }
            // The source's changes queued since it started are replayed after this, in order: each key ends at its
            // latest event again, and the snapshot's own events come back as no-ops.
            _logger.LogInformation("Room {Room}: {Count} walkie state events loaded from {Source}", roomId, folded, source.Client.UserId);
        }
        _incoming!.Start();
    }

    // The devices stay subscribed until they are disposed: what they deliver meanwhile is still persisted (the worker
    // is gone) and handled at the next start, since their sync tokens move on without it.
    private async ValueTask StopIncomingAsync()
    {
        if (_incoming is not null)
        {
            await _incoming.DisposeAsync();
        }
    }

    /// <summary>
    /// On a device's sync loop, before its answer is committed: persists the answer's room messages (one quick write
    /// each) and returns. When the table cannot take one (the database is away), this throws: the device does not commit
    /// the answer, and its sync loop asks for it again with the old token after its backoff (logged once per outage), so
    /// the message comes again and is stored then. The messages stored before the failure come again too, and are no-ops
    /// (the event id is unique in the table).
    /// </summary>
    void IReceivedEventSink.Keep(IReadOnlyList<DeviceRoomEvent> events)
    {
        foreach (var e in events)
        {
            KeepRoomMessage(e);
        }
    }

    private void KeepRoomMessage(DeviceRoomEvent e)
    {
        if (!_linkedRooms.Contains(e.RoomId) && !_directRooms.ContainsKey(e.RoomId) || e.Type != WalkieEventTypes.RoomMessage || _incoming is null)
        {
            return;
        }

        var senderDevice = TrustedSenderDevice(e);
        bool added;
        try
        {
            added = _incoming.AddMessage(e.EventId, e.RoomId, e.Sender, senderDevice, e.Type, e.Content.ToJsonString(),
                e.OriginServerTs ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            throw new IncomingNotStoredException(
                $"room message {e.EventId} in {e.RoomId} could not be stored ({failure.Message}); the sync answer is kept and fetched again", failure);
        }

        if (added && e.Encrypted && senderDevice is null)
        {
            _logger.LogInformation("Room message {EventId} from {Sender}: its device {Device} is {Why}; it counts as an unknown device",
                e.EventId, e.Sender, e.SenderDeviceId ?? "(unknown)",
                e.SenderVerification == VerificationState.NotCrossSigned ? "not cross-signed by its owner" : "not in the sender's device list");
        }
    }

    /// <summary>
    /// The sending device as the bridge may use it for the send-permit check: like Element in its default mode, the
    /// gateway trusts the device only when the Megolm session came from it and its owner cross-signed it. A device its
    /// owner did not cross-sign (anyone holding the password can add one) or one not in the device list yet is
    /// unknown, so no permit can apply to it; in a plain room there is no proof of the device at all.
    /// </summary>
    public static string? TrustedSenderDevice(DeviceRoomEvent e) =>
        e.Encrypted && e.SenderVerification == VerificationState.CrossSigned ? e.SenderDeviceId : null;

    // Inside a device's sync handling (under its crypto lock): hand over and return.
    private void OnRoomStateChanged(string source, RoomState room, ClientEvent change)
    {
        if (!_linkedRooms.Contains(room.RoomId) || !IsWalkieState(change) || _incoming is null)
        {
            return;
        }

        if (ToStateEvent(change) is { } stateEvent)
        {
            _incoming.AddState(room.RoomId, source, stateEvent);
        }
    }

    /// <inheritdoc />
    async Task<string> IIncomingHandler.HandleMessageAsync(IncomingEvent message, CancellationToken cancellationToken)
    {
        if (!_bridgesByRoom.TryGetValue(message.RoomId, out var bridge))
        {
            return _directRooms.TryGetValue(message.RoomId, out var direct)
                ? await HandleDirectMessageAsync(direct, message, cancellationToken)
                : "ignored: the room is no longer linked";
        }

        using var content = JsonDocument.Parse(message.ContentJson);
        var roomMessage = new RoomMessage(message.EventId, message.Sender, message.Type, content.RootElement.Clone(),
            message.OriginServerTs, message.SenderDevice, SenderName(message.RoomId, message.Sender));
        try
        {
            return await bridge.OnRoomMessageAsync(roomMessage, cancellationToken) switch
            {
                IncomingDecision.Play => "played",
                IncomingDecision.Refuse refuse => "refused: " + refuse.Reason,
                IncomingDecision.Ignore ignore => "ignored: " + ignore.Reason,
                var other => other.ToString(),
            };
        }
        catch (ArgumentException e)
        {
            // The floor refused the audio itself (no such channel, another rate): trying again cannot help.
            _logger.LogWarning("Voice message {EventId} from {Sender} not played: the gateway refused it: {Error}", message.EventId,
                message.Sender, e.Message);
            return "refused by the gateway: " + e.Message;
        }
    }

    /// <inheritdoc />
    async Task IIncomingHandler.HandleStateAsync(string roomId, string source, RoomStateEvent stateEvent, CancellationToken cancellationToken)
    {
        if (!_bridgesByRoom.TryGetValue(roomId, out var bridge))
        {
            return;
        }
        // A room no badge device was in at start takes the first device that reports its state.
        if (!_stateSources.TryGetValue(roomId, out var followed))
        {
            _stateSources[roomId] = followed = source;
        }

        if (followed != source)
        {
            return;
        }

        await bridge.OnRoomStateEventAsync(stateEvent, cancellationToken);
        OnRoomStateFolded(roomId, bridge, stateEvent);
    }

    // What the badges announce as the talker: the sender's name as the room shows it (a badge device in the room knows
    // its members), not the user id.
    private string? SenderName(string roomId, string sender) =>
        Devices.All.Select(d => d.Rooms.Get(roomId)).FirstOrDefault(r => r is { Membership: "join" })?.MemberName(sender);

    private static bool IsWalkieState(ClientEvent e) =>
        e.StateKey is not null && (e.Type == WalkieEventTypes.PowerLevels || e.Type.StartsWith("org.matrix.msc4002.", StringComparison.Ordinal));

    private static RoomStateEvent? ToStateEvent(ClientEvent e) =>
        e.Sender is null
            ? null
            : new RoomStateEvent(e.Type, e.StateKey, e.Sender, JsonSerializer.SerializeToElement(e.Content), e.OriginServerTs ?? 0, e.EventId);
}
