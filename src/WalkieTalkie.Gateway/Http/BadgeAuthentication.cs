using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Logging;
using WalkieTalkie.Gateway.Transports;

namespace WalkieTalkie.Gateway.Http;

/// <summary>
/// ASP.NET Core authentication for badges over HTTP: Basic credentials (RFC 7617) with the badge's id and secret,
/// checked by the same <see cref="BadgeAuthenticator"/> as MQTT connections, behind the same login throttle. The badge
/// id becomes the user's name. Refused: 401 with a Basic challenge; backing off (too many failures, or a badge kept
/// out for its refusals): 429 with <c>Retry-After</c>.
/// </summary>
public sealed class BadgeAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggers, UrlEncoder encoder,
    BadgeAuthenticator authenticator, BadgeRefusals refusals) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggers, encoder)
{
    public const string SchemeName = "Badge";

    private TimeSpan? _retryAfter;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BasicCredentials.Parse(Request.Headers.Authorization) is not { } c)
        {
            return Task.FromResult(AuthenticateResult.Fail("no badge credentials"));
        }

        var login = authenticator.Login(c.User, c.Password, Context.Connection.RemoteIpAddress);
        _retryAfter = login.Outcome == LoginOutcome.Throttled ? login.RetryAfter : login.IsAccepted ? refusals.BannedFor(c.User) : null;
        if (!login.IsAccepted || _retryAfter is not null)
        {
            return Task.FromResult(AuthenticateResult.Fail("bad badge credentials, or backing off"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, c.User)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var address = Context.Connection.RemoteIpAddress;
        var request = Context.GetEndpoint()?.DisplayName ?? "request";
        var badge = LogText.Escape(Context.GetRouteValue("badgeId") as string);
        if (_retryAfter is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            if (refusals.Refuse(address, RefusalKind.Throttled))
            {
                Logger.LogWarning("Refused {Request} for {Badge} from {Address}: backing off {Seconds} s", request, badge, address, seconds);
            }

            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        }

        if (refusals.Refuse(address, RefusalKind.Login))
        {
            Logger.LogWarning("Refused {Request} for {Badge} from {Address}: bad or missing badge credentials", request, badge, address);
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"walkie\", charset=\"UTF-8\"";
        return Task.CompletedTask;
    }
}
