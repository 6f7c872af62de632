using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.MatrixBridge.Linking;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Matrix.Client.Http;

namespace WalkieTalkie.Gateway.Administration;

/// <summary>A linked channel's room permits, or why they could not be read.</summary>
public sealed record ChannelRoomPermits(int Channel, string Name, string RoomId, IReadOnlyList<RoomDevicePermit> Devices, string? Error);

/// <summary>
/// Matrix devices' permits (a parent's phone) for the CLI (<c>walkie permit grant|revoke --device</c>) and the console
/// alike: written into the linked channel's room by its granter (<see cref="DevicePermits"/>), read back from the room
/// (<see cref="RoomPermits"/>), every change audited. They live in the room, not in the gateway's permit table.
/// </summary>
public sealed class DevicePermitAdministration(BridgeStores stores, IOptions<MatrixBridgeOptions> matrix, IOptions<GatewayOptions> gateway,
    TimeProvider time, AuditTrail audit)
{
    /// <summary>Grants (<paramref name="receive"/>) or withdraws (not <paramref name="receive"/>) the device's permit; returns what was done.</summary>
    /// <exception cref="RegistryException">Not a device, no such channel, not linked, the granter cannot write permits there, the end is past,
    /// or the homeserver refused.</exception>
    public async Task<IReadOnlyList<string>> SetAsync(AdminActor actor, int channel, string device, bool receive, bool send, DateTimeOffset? until,
        ILogger logger, CancellationToken cancellationToken)
    {
        var key = DevicePermits.ParseDevice(device.Trim());
        if (receive && until is { } end && end <= time.GetUtcNow())
        {
            throw new RegistryException($"the permit's end {end:u} is in the past: a permit must end later than now");
        }

        var permit = new WalkiePermit(key, receive, receive && send, ExpiresAt: receive ? until : null);
        IReadOnlyList<string> lines;
        try
        {
            lines = await DevicePermits.SetAsync(stores, matrix.Value, gateway.Value.DataDirectory, channel, permit, logger, cancellationToken);
        }
        catch (Exception e) when (e is MatrixException or HttpRequestException)
        {
            throw new RegistryException($"the permit of {key.UserId}/{key.DeviceId} was not written to channel {channel}'s room: {e.Message}");
        }

        audit.Record(actor, receive ? "permit.device-grant" : "permit.device-revoke", $"{key.UserId}/{key.DeviceId} on channel {channel}",
            receive ? $"{(permit.Send ? "receive+send" : "receive")} {(until is null ? "for good" : "until " + until.Value.ToString("u"))}" : "");
        return lines;
    }

    /// <summary>The room permits of <paramref name="channels"/> that are linked; a room that cannot be read says why instead.</summary>
    public async Task<IReadOnlyList<ChannelRoomPermits>> ReadAsync(IReadOnlySet<byte> channels, ILogger logger, CancellationToken cancellationToken)
    {
        var rooms = new List<ChannelRoomPermits>();
        if (!matrix.Value.IsConfigured)
        {
            return rooms;
        }

        var links = stores.Links.Channels().ToDictionary(l => l.Channel);
        foreach (var channel in stores.Channels.List().Where(c => channels.Contains(c.Number)).OrderBy(c => c.Number))
        {
            if (!links.TryGetValue(channel.Name, out var link))
            {
                continue;
            }

            try
            {
                var devices = await RoomPermits.ReadAsync(stores, matrix.Value, gateway.Value.DataDirectory, link, time.GetUtcNow(), logger, cancellationToken);
                rooms.Add(new ChannelRoomPermits(channel.Number, channel.Name, link.RoomId, devices, null));
            }
            catch (Exception e) when (e is RegistryException or MatrixException or HttpRequestException)
            {
                rooms.Add(new ChannelRoomPermits(channel.Number, channel.Name, link.RoomId, [], e.Message));
            }
        }

        return rooms;
    }
}
