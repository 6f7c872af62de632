using System.Text.Json;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Bridge.State;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;

namespace WalkieTalkie.Gateway.MatrixBridge.Linking;

/// <summary>One device the room's MSC4002 state names: its permit (and who wrote it), its own accept, and what they allow now.</summary>
/// <param name="Device">The Matrix device.</param>
/// <param name="BadgeId">The badge whose device it is, or null for a person's (a parent's phone).</param>
/// <param name="Permit">The permit in force in the room, or null when none was written (or it was not the granter's to write).</param>
/// <param name="GrantedBy">Who wrote the permit.</param>
/// <param name="Accept">The device's own opt-in, or null when it has not sent one.</param>
/// <param name="Rights">What the two allow at the moment read.</param>
public sealed record RoomDevicePermit(DeviceKey Device, string? BadgeId, WalkiePermit? Permit, string? GrantedBy, WalkieAccept? Accept, DeviceRights Rights);

/// <summary>
/// A linked channel's room permits as the bridge reads them: the room's state, read as the channel's granter, folded
/// into <see cref="RoomWalkieState"/> (the same rules the bridge applies: a permit counts only from a sender with the
/// power for it, an accept only from the device's own user).
/// </summary>
public static class RoomPermits
{
    /// <summary>Reads the room's permits and accepts now.</summary>
    /// <exception cref="RegistryException">The channel has no granter, or the gateway holds no session of it.</exception>
    public static async Task<IReadOnlyList<RoomDevicePermit>> ReadAsync(BridgeStores stores, MatrixBridgeOptions options, string dataDirectory,
        ChannelRoomLink link, DateTimeOffset now, ILogger logger, CancellationToken cancellationToken)
    {
        if (link.GranterUserId.Length == 0)
        {
            throw new RegistryException($"channel {link.Channel} has no granter to read its room as: walkie channel link {link.Channel} {link.RoomId} --granter …");
        }

        using var client = await GranterAccount.ConnectAsync(stores, options, dataDirectory, link.GranterUserId, null, register: false, logger, cancellationToken)
                           ?? throw new RegistryException($"the gateway holds no session of the granter {link.GranterUserId}: link the channel again with its password");
        var state = await client.GetRoomStateAsync(link.RoomId, cancellationToken);
        var room = new RoomWalkieState(ChannelLinker.Levels(state));
        foreach (var ev in state.Where(e => e.StateKey is not null && e.Sender is not null && e.Type is WalkieEventTypes.Permit or WalkieEventTypes.Accept))
        {
            room.Apply(new RoomStateEvent(ev.Type, ev.StateKey, ev.Sender!, JsonSerializer.SerializeToElement(ev.Content), ev.OriginServerTs ?? 0, ev.EventId));
        }

        var badges = stores.Links.Badges().ToDictionary(b => new DeviceKey(b.UserId, b.DeviceId), b => b.BadgeId);
        return room.Devices.OrderBy(d => d.UserId, StringComparer.Ordinal).ThenBy(d => d.DeviceId, StringComparer.Ordinal)
            .Select(d =>
            {
                var permit = room.PermitOf(d);
                return new RoomDevicePermit(d, badges.GetValueOrDefault(d), permit?.Value, permit?.Value is null ? null : permit.Event.Sender,
                    room.AcceptOf(d)?.Value, room.RightsAt(d, now));
            })
            .ToList();
    }
}
