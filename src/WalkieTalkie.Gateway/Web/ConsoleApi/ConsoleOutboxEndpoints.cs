using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Administration;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.Storage.Bridge;

namespace WalkieTalkie.Gateway.Web.ConsoleApi;

/// <summary>
/// <c>/console/v1/outbox</c>: the messages the badges' Matrix accounts could not send (stuck after repeated failures,
/// or refused by the homeserver), for the badges a user may see; an admin puts one back in its badge's queue
/// (<c>POST /outbox/{id}/retry</c>, audited). The same file and rules as <c>walkie badge outbox</c>.
/// </summary>
public static class ConsoleOutboxEndpoints
{
    public static void MapConsoleOutbox(this RouteGroupBuilder view, RouteGroupBuilder change)
    {
        view.MapGet("/outbox", async (HttpContext context, ConsoleAccess access, IOptions<MatrixBridgeOptions> matrix, IOptions<GatewayOptions> gateway,
            BridgeStores stores, CancellationToken ct) =>
        {
            var all = await UnsentMessages.ListAsync(UnsentMessages.OutboxPath(matrix.Value, gateway.Value.DataDirectory), stores.Links, ct);
            var visible = all.Where(m => m.BadgeId is { } badge ? access.MaySeeDevice(context.User, badge) : ConsoleAccess.IsAdmin(context.User)).ToList();
            return Results.Json(new
            {
                summary = UnsentMessages.Summary(visible),
                messages = visible.Select(m => new
                {
                    id = m.Id, badge = m.BadgeId, user = m.UserId, room = m.RoomId, stuck = m.Stuck, voice = m.IsVoiceMessage,
                    attempts = m.Attempts, error = m.Error,
                }),
            });
        });

        change.MapPost("/outbox/{id:long}/retry", async (HttpContext context, long id, IOptions<MatrixBridgeOptions> matrix, IOptions<GatewayOptions> gateway,
            AuditTrail audit, CancellationToken ct) =>
        {
            if (!await UnsentMessages.RetryAsync(UnsentMessages.OutboxPath(matrix.Value, gateway.Value.DataDirectory), id, ct))
            {
                return Results.BadRequest(new { error = $"No stuck or refused message {id}: it was retried or sent already." });
            }

            audit.Record(ConsoleEndpoints.Actor(context.User), "outbox.retry", "message " + id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return Results.NoContent();
        });
    }
}
