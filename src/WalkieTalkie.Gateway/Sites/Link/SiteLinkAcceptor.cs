using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Sites.Discovery;
using WalkieTalkie.Gateway.Web.MatrixAuth;

namespace WalkieTalkie.Gateway.Sites.Link;

/// <summary>
/// The listening side of a site link (<c>GET /sites/v1/link</c>, a WebSocket): the dialing gateway's first message is a
/// <see cref="LinkHello"/>; its OpenID token is checked at its homeserver (<see cref="OpenIdVerifier"/>: the server must
/// be one of <c>Web:MatrixServers</c>), and each room it names is accepted only when this gateway serves the room and
/// the room's state holds the dialer's announcement sent by that very account. No accepted room, no link.
/// </summary>
public sealed class SiteLinkAcceptor(SiteLinks links, RoomGateways gateways, ISiteMatrix matrix, GatewayIdentity identity, OpenIdVerifier verifier,
    LinkRefusals refusals, IOptions<SiteOptions> options, ILogger<SiteLinkAcceptor> logger)
{
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(10);

    public async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new SiteConnection(socket, options.Value.MaxQueuedFrames);
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown address";
        LinkHello hello;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(HelloTimeout);
            var first = await connection.ReceiveAsync(timeout.Token);
            if (first is not { Text: true } message || LinkCodec.Read(message.Payload) is not LinkHello h)
            {
                await RefuseAsync(connection, address, "the first message must be a hello");
                return;
            }

            hello = h;
        }
        catch (LinkFormatException e)
        {
            await RefuseAsync(connection, address, e.Message);
            return;
        }

        if (!GatewayIdentity.IsValid(hello.GatewayId) || hello.GatewayId == identity.Id)
        {
            await RefuseAsync(connection, address, $"gateway id {hello.GatewayId} is not valid or is this gateway's own");
            return;
        }

        var proof = await verifier.VerifyAsync(hello.AccessToken, hello.ServerName, context.RequestAborted);
        if (proof.UserId is null || proof.UserId != hello.UserId)
        {
            await RefuseAsync(connection, hello.GatewayId, proof.UserId is null
                ? "its OpenID token was not accepted: " + proof.Problem
                : $"its OpenID token proves {proof.UserId}, not {hello.UserId}");
            return;
        }

        var accepted = new List<string>();
        foreach (var roomId in hello.Rooms.Distinct(StringComparer.Ordinal))
        {
            if (await AnnouncedAsync(roomId, hello.GatewayId, proof.UserId, context.RequestAborted))
            {
                accepted.Add(roomId);
            }
        }

        if (accepted.Count == 0)
        {
            await RefuseAsync(connection, hello.GatewayId,
                $"none of the rooms it named is served here with its announcement sent by {proof.UserId}");
            return;
        }

        await connection.SendNowAsync(new LinkWelcome(identity.Id, accepted), context.RequestAborted);
        await links.RunPeerAsync(new PeerLink(hello.GatewayId, accepted, connection, dialed: false), context.RequestAborted);
    }

    // The room must be one this gateway serves, and hold the dialer's announcement from the proven account; an
    // announcement made since the last reading is read once more before the room is refused.
    private async Task<bool> AnnouncedAsync(string roomId, string gatewayId, string userId, CancellationToken cancellationToken)
    {
        if (gateways.Room(roomId) is not { } room)
        {
            return false;
        }

        if (gateways.Find(roomId, gatewayId) is { } known && known.Sender == userId)
        {
            return true;
        }

        try
        {
            var announced = await matrix.ReadAsync(room, cancellationToken);
            gateways.SetAnnounced(roomId, announced);
            return announced.Any(a => a.Announcement.GatewayId == gatewayId && a.Sender == userId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Room {Room}: announcements could not be read to check gateway {Gateway}: {Error}", roomId, gatewayId, e.Message);
            return false;
        }
    }

    private async Task RefuseAsync(SiteConnection connection, string offender, string reason)
    {
        refusals.Refuse(offender, reason);
        await connection.RefuseAsync(reason);
    }
}
