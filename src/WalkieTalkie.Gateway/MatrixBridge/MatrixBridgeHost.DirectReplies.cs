using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Bridge.Channels;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Bridge.Incoming;
using WalkieTalkie.Bridge.Outgoing;
using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Matrix.Client;
using WalkieTalkie.Matrix.Device;

namespace WalkieTalkie.Gateway.MatrixBridge;

// Private replies to Matrix users: a badge's reply goes, as the same encrypted voice message a channel burst becomes, to
// a direct-message room between the badge's account and that user, made on first use (is_direct, the invite,
// m.room.encryption, the account's m.direct) and kept (bridge_direct_rooms) for every later reply, across restarts.
// What the user sends back in that room plays on that badge only, as a private burst.
public sealed partial class MatrixBridgeHost
{
    private const string DirectAccountData = "m.direct";
    private readonly ConcurrentDictionary<string, DirectRoom> _directRooms = new(StringComparer.Ordinal);
    private Dictionary<string, string> _badgeAccounts = new(StringComparer.Ordinal);
    private MediaVoiceTranscoder? _directTranscoder;
    private DeviceMediaTransfer? _directMedia;
    private GatewayEngine? _directEngine;

    /// <summary>The direct rooms the bridge made for private replies, by room id.</summary>
    public IReadOnlyDictionary<string, DirectRoom> DirectRooms => _directRooms;

    /// <summary>Before the devices start: the known direct rooms, so that their messages are taken from the first sync.</summary>
    private void PrepareDirectRooms(IMatrixLinkStore links, MediaVoiceTranscoder transcoder, IBadgePlayer player)
    {
        _badgeAccounts = links.Badges().ToDictionary(b => b.BadgeId, b => b.UserId, StringComparer.Ordinal);
        foreach (var room in _stores.DirectRooms.All())
        {
            _directRooms[room.RoomId] = room;
        }

        _directTranscoder = transcoder;
        _directMedia = new DeviceMediaTransfer(Devices);
        _directEngine = (player as EngineBadgePlayer)?.Engine;
    }

    /// <summary>Sends every finished private reply to a Matrix user, oldest first; stops at the first that cannot go yet.</summary>
    private async Task<OutgoingStatus> PumpDirectRepliesAsync(CancellationToken ct)
    {
        var handled = 0;
        try
        {
            while (_stores.DirectReplies.Peek() is { } reply)
            {
                await SendDirectReplyAsync(reply, ct);
                _stores.DirectReplies.Acknowledge(reply);
                handled++;
            }

            return new OutgoingStatus(OutgoingStatusKind.Idle, handled);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            _logger.LogWarning("Private replies to Matrix users paused: {Error}", e.Message);
            return new OutgoingStatus(OutgoingStatusKind.Blocked, handled, e.Message);
        }
    }

    private async Task SendDirectReplyAsync(DirectReply reply, CancellationToken ct)
    {
        var burst = reply.Burst;
        if (!_badgeAccounts.TryGetValue(burst.BadgeId, out var account) || Devices.Find(account) is not { } device)
        {
            _logger.LogWarning("Private reply {BurstId} of badge {Badge} to {User} not sent: the badge has no Matrix account",
                burst.BurstId, burst.BadgeId, reply.UserId);
            return;
        }

        EncodedVoice voice;
        try
        {
            voice = await _directTranscoder!.EncodeAsync(burst, ct);
        }
        catch (UnusableAudioException e)
        {
            _logger.LogWarning("Private reply {BurstId} of badge {Badge} cannot be transcoded and is skipped: {Error}", burst.BurstId, burst.BadgeId, e.Message);
            return;
        }

        var room = await DirectRoomAsync(device, burst.BadgeId, reply.UserId, reply.ChannelNumber, ct);
        var upload = await _directMedia!.UploadVoiceAsync(account, room.RoomId, voice.OggOpus, ct);
        var content = VoiceMessageBuilder.Build(burst, upload, voice.DurationMs, voice.Waveform, null);
        // The burst's own transaction id: a reply handed over again after a crash is sent once.
        await device.SendAsync(room.RoomId, WalkieEventTypes.RoomMessage, content, burst.TransactionId, ct);
        _logger.LogInformation("Private reply {BurstId} of badge {Badge} queued for {User} in direct room {Room}", burst.BurstId, burst.BadgeId,
            reply.UserId, room.RoomId);
    }

    /// <summary>The badge's direct room with the user: the one kept, or a new one, listed in the account's <c>m.direct</c> either way.</summary>
    private async Task<DirectRoom> DirectRoomAsync(MatrixDevice device, string badgeId, string userId, byte channel, CancellationToken ct)
    {
        var room = _stores.DirectRooms.Find(badgeId, userId);
        if (room is null)
        {
            var roomId = await device.Client.CreateRoomAsync(DirectRoomRequest(userId), ct);
            room = new DirectRoom(badgeId, userId, roomId, channel);
            _stores.DirectRooms.Save(room);
            _logger.LogInformation("Direct room {Room} made between badge {Badge} ({Account}) and {User}", roomId, badgeId, device.Client.UserId, userId);
        }
        else if (room.Channel != channel)
        {
            room = room with { Channel = channel };
            _stores.DirectRooms.Save(room);
        }

        _directRooms[room.RoomId] = room;
        // Checked at each reply rather than once at creation, so that a crash between the two cannot leave it unlisted.
        await ListAsDirectAsync(device.Client, userId, room.RoomId, ct);
        return room;
    }

    /// <summary>A private, encrypted room for two, with the other person invited as a direct chat (what Element makes for "Start chat").</summary>
    private static JsonObject DirectRoomRequest(string userId) => new()
    {
        ["preset"] = "trusted_private_chat",
        ["is_direct"] = true,
        ["invite"] = new JsonArray(userId),
        ["initial_state"] = new JsonArray(new JsonObject
        {
            ["type"] = "m.room.encryption",
            ["state_key"] = "",
            ["content"] = new JsonObject { ["algorithm"] = "m.megolm.v1.aes-sha2" },
        }),
    };

    /// <summary>Adds the room to the account's <c>m.direct</c> (user id to room ids) unless it is there already.</summary>
    private static async Task ListAsDirectAsync(MatrixClient client, string userId, string roomId, CancellationToken ct)
    {
        var direct = await client.GetAccountDataAsync(DirectAccountData, ct) ?? new JsonObject();
        if (direct[userId] is not JsonArray rooms)
        {
            direct[userId] = rooms = new JsonArray();
        }

        if (rooms.Any(r => r is JsonValue value && value.TryGetValue<string>(out var id) && id == roomId))
        {
            return;
        }

        rooms.Add(roomId);
        await client.SetAccountDataAsync(DirectAccountData, direct, ct);
    }

    /// <summary>A message in a direct room (from the incoming queue): the person's voice message plays on the room's badge only.</summary>
    private async Task<string> HandleDirectMessageAsync(DirectRoom room, IncomingEvent message, CancellationToken ct)
    {
        if (message.Sender != room.UserId)
        {
            return "ignored: not from the person this direct room is with";
        }

        if (_directEngine is null || !_badgeAccounts.TryGetValue(room.BadgeId, out var account))
        {
            return "ignored: the badge of this direct room is not on this gateway";
        }

        using var content = JsonDocument.Parse(message.ContentJson);
        var roomMessage = new RoomMessage(message.EventId, message.Sender, message.Type, content.RootElement.Clone(),
            message.OriginServerTs, message.SenderDevice, SenderName(message.RoomId, message.Sender));
        var decision = IncomingClassifier.Classify(roomMessage, new HashSet<string>(StringComparer.Ordinal) { account });
        switch (decision)
        {
            case IncomingDecision.Ignore ignore:
                return "ignored: " + ignore.Reason;
            case IncomingDecision.Refuse refuse:
                return "refused: " + refuse.Reason;
        }

        var voice = ((IncomingDecision.Play)decision).Voice;
        var rate = _stores.Channels.List().FirstOrDefault(c => c.Number == room.Channel)?.SampleRate
            ?? throw new ArgumentException($"channel {room.Channel} of direct room {room.RoomId} no longer exists");
        try
        {
            var ogg = await _directMedia!.DownloadVoiceAsync(room.RoomId, voice.Source, ct);
            var audio = await _directTranscoder!.DecodeAsync(ogg, rate, ct);
            var burstId = await _directEngine.QueuePrivateAudioAsync(room.BadgeId, room.Channel, audio.AdpcmBlocks, audio.SampleRate,
                roomMessage.SenderName ?? message.Sender, message.Sender, ct);
            _logger.LogInformation("Voice message {EventId} from {User} plays on badge {Badge} only, as private burst {BurstId}", message.EventId,
                message.Sender, room.BadgeId, burstId);
            return "played";
        }
        catch (UnusableAudioException e)
        {
            return "refused: " + e.Message;
        }
        catch (ArgumentException e)
        {
            // The engine refused the audio itself (the badge left the channel, another rate): trying again cannot help.
            _logger.LogWarning("Voice message {EventId} from {User} not played on badge {Badge}: {Error}", message.EventId, message.Sender,
                room.BadgeId, e.Message);
            return "refused by the gateway: " + e.Message;
        }
    }
}
