using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WalkieTalkie.Gateway.Administration;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Web.ConsoleApi;

/// <summary>
/// <c>/console/v1/permits</c> (MSC4002): who may receive and send on the channels a user may see, until when, and which
/// offers wait for the badge's accept; the permits the bridge mirrors from a linked room (offered by a Matrix user)
/// are marked as the room's. An admin grants (time-limited or for good) and withdraws.
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
    }
}
