using Microsoft.Extensions.Logging;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;

namespace WalkieTalkie.Gateway.MatrixBridge.Linking;

/// <summary>
/// <c>walkie permit grant|revoke --device @user:server/DEVICEID &lt;channel&gt;</c>: an admin gives a Matrix device (a
/// parent's phone) its permit in a linked channel's room, or takes it back, from the channel's granter, so that nobody
/// writes the <c>org.matrix.msc4002.permit</c> state event by hand. The bridge plays a phone's voice messages once the
/// phone's owner has also opted in (the <c>accept</c> is the device's own user's, which no admin can send).
/// </summary>
public static class DevicePermits
{
    /// <summary>Parses <c>@user:server/DEVICEID</c>.</summary>
    /// <exception cref="RegistryException">Not a user id and a device id.</exception>
    public static DeviceKey ParseDevice(string text)
    {
        var parsed = DeviceKey.ParseStateKey(DeviceKey.StateKeyPrefix + text);
        return parsed.IsValid
            ? parsed.Value
            : throw new RegistryException($"'{text}' is not a device: write @user:server/DEVICEID (Element: Settings, Sessions, the session's id)");
    }

    /// <summary>Sends the permit (a revocation when it allows nothing) and returns what was done, one line each.</summary>
    /// <exception cref="RegistryException">No such channel, the channel is not linked, or the granter cannot write permits there.</exception>
    public static async Task<IReadOnlyList<string>> SetAsync(BridgeStores stores, MatrixBridgeOptions options, string dataDirectory, int channelNumber,
        WalkiePermit permit, ILogger logger, CancellationToken cancellationToken)
    {
        if (!options.IsConfigured)
        {
            throw new RegistryException("Matrix:Homeserver is not set: a device permit lives in the channel's Matrix room");
        }

        var channel = stores.Channels.List().FirstOrDefault(c => c.Number == channelNumber)
                      ?? throw new RegistryException($"no channel {channelNumber} (walkie channel list)");
        var link = stores.Links.Channels().FirstOrDefault(c => c.Channel == channel.Name)
                   ?? throw new RegistryException($"channel {channelNumber} ({channel.Name}) is not linked to a room: walkie channel link first");
        if (link.GranterUserId.Length == 0)
        {
            throw new RegistryException($"channel {channel.Name} has no granter: walkie channel link {channel.Name} {link.RoomId} --granter …");
        }

        using var client = await GranterAccount.ConnectAsync(stores, options, dataDirectory, link.GranterUserId, null, register: false, logger, cancellationToken)
                           ?? throw new RegistryException($"the gateway holds no session of the granter {link.GranterUserId}: walkie channel link with --granter-password");
        var state = await client.GetRoomStateAsync(link.RoomId, cancellationToken);
        var levels = ChannelLinker.Levels(state);
        if (!levels.MaySendState(link.GranterUserId, WalkieEventTypes.Permit))
        {
            throw new RegistryException($"{link.GranterUserId} has power level {levels.UserLevel(link.GranterUserId)} in {link.RoomId}, and permits need " +
                                        $"{levels.RequiredForState(WalkieEventTypes.Permit)}: a room admin must raise it");
        }

        var ev = WalkieStateEvents.Permit(permit, link.GranterUserId, DateTimeOffset.UtcNow);
        var eventId = await client.SendStateEventAsync(link.RoomId, ev.Type, ev.Content, ev.StateKey, cancellationToken);
        var device = permit.Device;
        var lines = new List<string>
        {
            permit.Receive
                ? $"{device} may {(permit.Send ? "receive and send" : "receive")} on channel {channel.Number} ({channel.Name}) " +
                  $"{(permit.ExpiresAt is { } until ? "until " + until.ToString("u") : "for good")}: {eventId} from {link.GranterUserId}"
                : $"{device} may no longer receive or send on channel {channel.Number} ({channel.Name}): {eventId} from {link.GranterUserId}",
        };
        var accept = state.FirstOrDefault(e => e.Type == WalkieEventTypes.Accept && e.StateKey == device.StateKey && e.Sender == device.UserId);
        if (permit.Receive && accept?.Content["receive"]?.GetValue<bool>() != true)
        {
            lines.Add($"{device.UserId} has not opted this device in yet: on that device, open the walkie (in Element, the room's walkie " +
                      "widget; on a phone, the web walkie signed in with Matrix) and tap \"Receive walkie broadcasts on this device\". A client " +
                      $"without the walkie can send the room state event {WalkieEventTypes.Accept} with state key {device.StateKey} and content " +
                      $"{{\"user_id\":\"{device.UserId}\",\"device_id\":\"{device.DeviceId}\",\"receive\":true}}");
        }

        return lines;
    }
}
