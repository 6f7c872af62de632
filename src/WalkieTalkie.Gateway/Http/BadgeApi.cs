using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Badges;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Logging;
using WalkieTalkie.Gateway.Transports;

namespace WalkieTalkie.Gateway.Http;

/// <summary>
/// What badges reach over HTTP(S), under <c>/badge/v1</c>, authenticated as a badge (<see cref="BadgeAuthentication"/>):
/// <c>GET /badge/v1/{badgeId}/config</c> gives the badge's <c>config</c> control message, the same bytes the gateway
/// sends on MQTT, for a badge at boot. 401 without valid credentials, 403 for another badge's config.
/// </summary>
public static class BadgeApi
{
    public const string Policy = "Badge";

    public static RouteGroupBuilder MapBadgeApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/badge/v1").RequireAuthorization(Policy);
        group.MapGet("/{badgeId}/config", Config).WithDisplayName("config request");
        return group;
    }

    private static IResult Config(HttpContext context, string badgeId, CurrentRegistry registry, IOptions<GatewayOptions> options,
        TimeProvider time, BadgeRefusals refusals, ILogger<BadgeAuthentication> logger)
    {
        var user = context.User.Identity?.Name;
        if (user != badgeId)
        {
            if (user is null || refusals.Refuse(user, RefusalKind.Request))
            {
                logger.LogWarning("Refused config request of badge {User} for badge {Badge}: not its own", user, LogText.Escape(badgeId));
            }

            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        var config = BadgeConfigBuilder.Build(registry.Snapshot, badgeId, time.GetUtcNow(), options.Value);
        context.Response.Headers.CacheControl = "no-store";
        return Results.Bytes(config.ToBytes(), "application/octet-stream");
    }
}
