using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.MatrixBridge.Linking;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Matrix.Client;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Rooms;

namespace WalkieTalkie.Gateway.Administration;

/// <summary>What to link: a channel (by name) to a room (id or alias), with the account that writes permits there.</summary>
/// <param name="Channel">The channel's name.</param>
/// <param name="Room">The room's id (<c>!…:server</c>) or alias (<c>#…:server</c>).</param>
/// <param name="Granter">The account that writes permits into the room; empty for none.</param>
/// <param name="GranterPassword">The granter's password to log in once (a secret: never logged, never audited); null to use a held session.</param>
/// <param name="Register">Create the granter's account when logging in is refused (with a password).</param>
/// <param name="WalkieUrl">The web walkie's address as the room's clients reach it, to add it as the room's widget; null for none.</param>
public sealed record ChannelLinkRequest(string Channel, string Room, string Granter, string? GranterPassword, bool Register = false, string? WalkieUrl = null)
{
    // A record prints every member: the password must not reach a log line through a request that is logged.
    public override string ToString() =>
        $"{nameof(ChannelLinkRequest)} {{ Channel = {Channel}, Room = {Room}, Granter = {Granter}, Register = {Register}, WalkieUrl = {WalkieUrl} }}";
}

/// <summary>
/// Links a channel to a Matrix room for the CLI (<c>walkie channel link</c>) and the console alike: checks the request,
/// resolves a room alias, registers the granter when asked, then lets <see cref="ChannelLinker"/> save the link and set
/// the room up (join, channel event, power levels, widget, invites), and audits what was done. What could not be done
/// in the room (not invited, not enough power) is in the report, not thrown: the link is saved either way.
/// </summary>
public sealed class ChannelLinking(BridgeStores stores, IOptions<MatrixBridgeOptions> matrix, IOptions<GatewayOptions> gateway, AuditTrail audit)
{
    /// <summary>Links the channel and audits it.</summary>
    /// <exception cref="RegistryException">No such channel, not a room id or alias, an alias the homeserver does not know, a walkie address
    /// that is not one, or a granter that could not register.</exception>
    public async Task<ChannelLinkReport> LinkAsync(AdminActor actor, ChannelLinkRequest request, ILogger logger, CancellationToken cancellationToken)
    {
        var channel = stores.Channels.List().FirstOrDefault(c => c.Name == request.Channel)
                      ?? throw new RegistryException($"no channel named '{request.Channel}' (walkie channel list)");
        CheckWalkieUrl(request.WalkieUrl);
        var roomId = await RoomIdAsync(request.Room.Trim(), cancellationToken);
        var granter = request.Granter.Trim();
        if (request.Register)
        {
            await RegisterGranterAsync(granter, request.GranterPassword, logger, cancellationToken);
        }

        var report = await ChannelLinker.LinkAsync(stores, matrix.Value, gateway.Value.DataDirectory, channel.Name, roomId, granter,
            request.GranterPassword, logger, cancellationToken, request.WalkieUrl);
        var outcome = report.NotDone.Count == 0 ? "room set up" : $"{report.NotDone.Count} room steps not done";
        audit.Record(actor, "channel.link", "channel " + channel.Number,
            $"room {roomId}{(roomId == request.Room.Trim() ? "" : $" ({request.Room.Trim()})")}, granter {(granter.Length == 0 ? "none" : granter)}, {outcome}");
        return report;
    }

    /// <summary>The name of channel <paramref name="number"/> (the console names channels by number, links by name).</summary>
    /// <exception cref="RegistryException">No such channel.</exception>
    public string ChannelName(int number) =>
        stores.Channels.List().FirstOrDefault(c => c.Number == number)?.Name ?? throw new RegistryException($"no channel {number} (walkie channel list)");

    private static void CheckWalkieUrl(string? walkieUrl)
    {
        if (walkieUrl is null)
        {
            return;
        }

        try
        {
            WalkieWidget.Url(walkieUrl);
        }
        catch (FormatException e)
        {
            throw new RegistryException(e.Message);
        }
    }

    // A room id is kept as given; an alias is asked of the homeserver's room directory (no session needed), since the
    // link, the bridge and the permits all name the room by its id.
    private async Task<string> RoomIdAsync(string room, CancellationToken cancellationToken)
    {
        var colon = room.IndexOf(':');
        if (room.Length < 4 || room[0] is not ('!' or '#') || colon < 2 || colon == room.Length - 1 || room.Any(char.IsWhiteSpace))
        {
            throw new RegistryException($"'{room}' is not a room id (!abc:example.org) or alias (#family:example.org): Element shows both in Room settings, Advanced");
        }

        if (room[0] == '!')
        {
            return room;
        }

        if (!matrix.Value.IsConfigured)
        {
            throw new RegistryException($"the alias {room} is resolved by the homeserver: set Matrix:Homeserver first, or give the room id");
        }

        using var client = new MatrixClient(new Uri(matrix.Value.Homeserver!));
        try
        {
            var answer = await client.Http.SendJsonAsync<RoomIdResponse>(HttpMethod.Get, "_matrix/client/v3/directory/room/" + Uri.EscapeDataString(room),
                null, RetryMode.Idempotent, cancellationToken, authenticated: false);
            return answer.RoomId;
        }
        catch (MatrixException e) when (e.ErrorCode == MatrixErrorCode.NotFound)
        {
            throw new RegistryException($"the homeserver knows no room {room}: check the alias, or give the room id");
        }
        catch (Exception e) when (e is MatrixException or HttpRequestException)
        {
            throw new RegistryException($"the alias {room} could not be resolved: {e.Message}");
        }
    }

    // The granter's account is created (where the server allows it) and its session stored before linking.
    private async Task RegisterGranterAsync(string granter, string? password, ILogger logger, CancellationToken cancellationToken)
    {
        if (!matrix.Value.IsConfigured)
        {
            throw new RegistryException("set Matrix:Homeserver (appsettings.json or WALKIE_Matrix__Homeserver) first");
        }

        if (granter.Length == 0 || password is null)
        {
            throw new RegistryException("registering needs the granter and its password");
        }

        try
        {
            using var client = await GranterAccount.ConnectAsync(stores, matrix.Value, gateway.Value.DataDirectory, granter, password,
                register: true, logger, cancellationToken);
        }
        catch (Exception e) when (e is MatrixException or HttpRequestException)
        {
            throw new RegistryException($"the granter {granter} could not log in or register: {e.Message}");
        }
    }
}
