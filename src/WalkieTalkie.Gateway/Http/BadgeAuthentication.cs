using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Transports;

namespace WalkieTalkie.Gateway.Http;

/// <summary>
/// ASP.NET Core authentication for badges over HTTP: Basic credentials (RFC 7617) with the badge's id and secret,
/// checked by the same <see cref="BadgeAuthenticator"/> as MQTT connections. The badge id becomes the user's name.
/// </summary>
public sealed class BadgeAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggers, UrlEncoder encoder,
    BadgeAuthenticator authenticator) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggers, encoder)
{
    public const string SchemeName = "Badge";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var credentials = BasicCredentials.Parse(Request.Headers.Authorization);
        if (credentials is not { } c || !authenticator.Verify(c.User, c.Password))
        {
            return Task.FromResult(AuthenticateResult.Fail("bad or missing badge credentials"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, c.User)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Logger.LogWarning("Refused {Request} for {Badge} from {Address}: bad or missing badge credentials",
            Context.GetEndpoint()?.DisplayName ?? "request", Context.GetRouteValue("badgeId"), Context.Connection.RemoteIpAddress);
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"walkie\", charset=\"UTF-8\"";
        return Task.CompletedTask;
    }
}
