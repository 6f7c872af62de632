using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.MatrixBridge.Linking;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Matrix.Client;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Rooms;
using WalkieTalkie.Matrix.Client.Sync;
using WalkieTalkie.Matrix.Device;

namespace WalkieTalkie.Gateway.MatrixBridge;

// Who is in the linked rooms: the granters (who write permits and invite), and each badge's account in the rooms of
// its channels. A badge joins at start, is invited by the granter when it was not (a badge linked after its channel),
// and joins as soon as an invite to one of its channels' rooms reaches its device.
public sealed partial class MatrixBridgeHost
{
    private readonly Dictionary<string, MatrixClient> _granters = new(StringComparer.Ordinal);

    // Badge accounts first (their devices run here), then the granters' own sessions.
    private MatrixClient? AccountClient(string userId)
    {
        if (Devices.Find(userId) is { } device)
        {
            return device.Client;
        }

        lock (_granters)
        {
            return _granters.GetValueOrDefault(userId);
        }
    }

    private async Task ConnectGrantersAsync(MatrixBridgeOptions options, string dataDirectory, IReadOnlyList<ChannelRoomLink> channels, CancellationToken ct)
    {
        foreach (var link in channels.Where(c => c.GranterUserId.Length > 0 && Devices.Find(c.GranterUserId) is null))
        {
            MatrixClient? granter;
            lock (_granters)
            {
                granter = _granters.GetValueOrDefault(link.GranterUserId);
            }

            try
            {
                granter ??= await GranterAccount.ConnectAsync(_stores, options, dataDirectory, link.GranterUserId, null, register: false, _logger, ct);
                if (granter is null)
                {
                    _logger.LogWarning("Channel {Channel}: permits are not written to {Room}: the gateway holds no session of the granter {Granter} " +
                        "(link the channel again with --granter-password)", link.Channel, link.RoomId, link.GranterUserId);
                    continue;
                }
                lock (_granters)
                {
                    _granters[link.GranterUserId] = granter;
                }

                await granter.JoinRoomAsync(link.RoomId, cancellationToken: ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogWarning("Channel {Channel}: the granter {Granter} could not join {Room}: {Error}", link.Channel, link.GranterUserId,
                    link.RoomId, e.Message);
            }
        }
    }

    /// <summary>Joins the badge's device to the channel's room, asking the granter for an invite when it has none.</summary>
    private async Task JoinBadgeAsync(ChannelRoomLink link, BadgeLink badge, CancellationToken ct)
    {
        if (Devices.Find(badge.UserId) is not { } device)
        {
            return;
        }

        try
        {
            try
            {
                await device.JoinRoomAsync(link.RoomId, ct);
            }
            catch (MatrixException e) when (e.ErrorCode == MatrixErrorCode.Forbidden && AccountClient(link.GranterUserId) is { } granter)
            {
                _logger.LogInformation("Badge {Badge} may not join {Room} ({Error}); {Granter} invites it", badge.BadgeId, link.RoomId, e.Message,
                    link.GranterUserId);
                await granter.InviteAsync(link.RoomId, badge.UserId, ct);
                await device.JoinRoomAsync(link.RoomId, ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning("Badge {Badge} could not join {Room}: {Error}. Invite {User} to the room (or link the channel again: its granter invites " +
                "the badges)", badge.BadgeId, link.RoomId, e.Message, badge.UserId);
        }
    }

    /// <summary>Subscribes to a device before it starts: an invite to a room of one of its channels is accepted at once.</summary>
    private void WatchInvites(MatrixDevice device) =>
        device.Rooms.StateChanged += (room, change) => OnMembershipChanged(device, room, change);

    // Inside the device's sync handling: hand over and return.
    private void OnMembershipChanged(MatrixDevice device, RoomState room, ClientEvent change)
    {
        var userId = device.Client.UserId;
        if (room.Membership != "invite" || change.Type != "m.room.member" || change.StateKey != userId
            || change.Content["membership"]?.GetValue<string>() != "invite" || !_linkedRooms.Contains(room.RoomId))
        {
            return;
        }

        _ = Task.Run(() => AcceptInviteAsync(device, room.RoomId, _stop.Token), CancellationToken.None);
    }

    private async Task AcceptInviteAsync(MatrixDevice device, string roomId, CancellationToken ct)
    {
        try
        {
            var badge = _stores.Links.Badges().FirstOrDefault(b => b.UserId == device.Client.UserId);
            var link = _stores.Links.Channels().FirstOrDefault(c => c.RoomId == roomId);
            if (badge is null || link is null || _stores.Links.BadgesOf(link.Channel).All(b => b.BadgeId != badge.BadgeId))
            {
                return;
            }

            await device.JoinRoomAsync(roomId, ct);
            _logger.LogInformation("Badge {Badge} accepted the invite to {Room} (channel {Channel})", badge.BadgeId, roomId, link.Channel);
            await LoadRoomStateAsync(link, ct);
            await MirrorKnownRoomAsync(link.Channel, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            _logger.LogWarning("{User} could not accept the invite to {Room}: {Error}", device.Client.UserId, roomId, e.Message);
        }
    }

    private void DisposeGranters()
    {
        lock (_granters)
        {
            foreach (var client in _granters.Values)
            {
                client.Dispose();
            }

            _granters.Clear();
        }
    }
}
