using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Administration;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Web.ConsoleApi;

/// <summary>
/// <c>/console/v1/permits</c> (MSC4002): who may receive and send on the channels a user may see, until when, and which
/// offers wait for the badge's accept; the permits the bridge mirrors from a linked room (offered by a Matrix user)
/// are marked as the room's. An admin grants (time-limited or for good) and withdraws. <c>/console/v1/room-permits</c>:
/// the Matrix devices' permits and accepts in the linked rooms, read from the room; an admin grants and withdraws one there
/// (<see cref="DevicePermitAdministration"/>, as <c>walkie permit grant --device</c>).
/// </summary>
public static class ConsolePermitEndpoints
{
    public static void MapConsolePermits(this RouteGroupBuilder view, RouteGroupBuilder change)
    {
        view.MapGet("/permits", (HttpContext context, ConsoleAccess access, IRegistryReader registry, TimeProvider time) =>
        {
            var snapshot = registry.Load();
            var visible = access.VisibleChannels(context.User, snapshot);
            var now = time.GetUtcNow();
            var permits = snapshot.Permits.Where(p => visible.Contains(p.Channel)).OrderBy(p => p.Channel).ThenBy(p => p.BadgeId, StringComparer.Ordinal)
                .Select(p => new
                {
                    badge = p.BadgeId,
                    name = snapshot.Badge(p.BadgeId)?.Name ?? p.BadgeId,
                    channel = p.Channel,
                    offered = PermitAdministration.Describe(p.Offered),
                    accepted = PermitAdministration.Describe(p.Accepted),
                    inForce = PermitAdministration.Describe(p.Effective(now)),
                    pending = (p.Offered & ~p.Accepted) != 0 && !p.IsExpired(now),
                    expired = p.IsExpired(now),
                    until = p.Until == 0 ? (long?)null : p.Until,
                    offeredBy = p.OfferedBy,
                    fromRoom = p.OfferedBy.StartsWith('@'),
                });
            return Results.Json(new { permits });
        });

        change.MapPost("/permits", (HttpContext context, ConsoleRequests.NewPermit request, PermitAdministration permits) =>
        {
            var bits = (byte)((request.Receive ? PermitBits.Receive : 0) | (request.Send ? PermitBits.Send : 0));
            var actor = ConsoleEndpoints.Actor(context.User);
            permits.Grant(actor, request.Badge ?? "", request.Channel, bits, permits.EndAfter(request.Seconds), actor.Name, request.Accepted);
            return Results.NoContent();
        });
        change.MapDelete("/permits/{badge}/{channel:int}", (HttpContext context, string badge, int channel, PermitAdministration permits) =>
        {
            permits.Revoke(ConsoleEndpoints.Actor(context.User), badge, channel, PermitBits.Known);
            return Results.NoContent();
        });

        // A linked room's device permits, read from the room as its granter: the gateway's table does not hold them.
        view.MapGet("/room-permits", async (HttpContext context, ConsoleAccess access, IRegistryReader registry, DevicePermitAdministration devices,
            TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        {
            var visible = access.VisibleChannels(context.User, registry.Load());
            var rooms = await devices.ReadAsync(visible, loggers.CreateLogger<DevicePermitAdministration>(), cancellationToken);
            var now = time.GetUtcNow();
            return Results.Json(new
            {
                rooms = rooms.Select(r => new
                {
                    channel = r.Channel,
                    name = r.Name,
                    room = r.RoomId,
                    error = r.Error,
                    devices = r.Devices.Select(d => new
                    {
                        user = d.Device.UserId,
                        device = d.Device.DeviceId,
                        badge = d.BadgeId,
                        offered = d.Permit is { Receive: true } p ? (p.Send ? "receive+send" : "receive") : "none",
                        until = d.Permit is { Receive: true, ExpiresAt: { } end } ? end.ToUnixTimeSeconds() : (long?)null,
                        grantedBy = d.GrantedBy,
                        accepted = d.Accept?.IsInForceAt(now) == true,
                        pending = d.Permit?.IsInForceAt(now) == true && d.Accept?.IsInForceAt(now) != true,
                        inForce = d.Rights.MayReceive ? (d.Rights.MaySend ? "receive+send" : "receive") : "none",
                        expired = d.Permit is { Receive: true, ExpiresAt: { } at } && at <= now,
                    }),
                }),
            });
        });
        change.MapPost("/room-permits", async (HttpContext context, ConsoleRequests.DevicePermit request, DevicePermitAdministration devices,
            PermitAdministration permits, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        {
            var until = request.Receive ? permits.EndAfter(request.Seconds) : null;
            var lines = await devices.SetAsync(ConsoleEndpoints.Actor(context.User), request.Channel, request.Device ?? "", request.Receive, request.Send, until,
                loggers.CreateLogger<DevicePermitAdministration>(), cancellationToken);
            return Results.Json(new { lines });
        });
    }
}
