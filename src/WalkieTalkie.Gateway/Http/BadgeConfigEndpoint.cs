using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Badges;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Logging;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Time;
using WalkieTalkie.Gateway.Transports.Mqtt;
using WalkieTalkie.Gateway.Transports;

namespace WalkieTalkie.Gateway.Http;

/// <summary>
/// <c>GET /badge/v1/{badgeId}/config</c>: the badge's <c>config</c> control message, the same bytes the gateway sends
/// on MQTT, for a badge at boot. HTTP Basic with the badge's id and secret: 401 without valid credentials, 403 for
/// another badge's config.
/// </summary>
public sealed class BadgeConfigEndpoint(GatewayEngine engine, BadgeAuthenticator authenticator, GatewayOptions options, IClock clock, ILogger logger)
{
    public const string Route = "/badge/v1/{badgeId}/config";

    public IResult Handle(HttpContext context, string badgeId)
    {
        var credentials = BasicCredentials.Parse(context.Request.Headers.Authorization);
        if (credentials is not { } c || !authenticator.Verify(c.User, c.Password))
        {
            logger.LogWarning("Refused config request for {Badge} from {Endpoint}: bad or missing badge credentials",
                badgeId, context.Connection.RemoteIpAddress);
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"walkie\", charset=\"UTF-8\"";
            return Results.Unauthorized();
        }

        if (c.User != badgeId)
        {
            logger.LogWarning("Refused config request of badge {User} for badge {Badge}: not its own", c.User, badgeId);
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        var config = BadgeConfigBuilder.Build(engine.Registry, badgeId, clock.Now, options);
        context.Response.Headers.CacheControl = "no-store";
        return Results.Bytes(config.ToBytes(), "application/octet-stream");
    }
}
