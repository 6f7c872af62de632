using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Web.Devices;

namespace WalkieTalkie.Gateway.Web.Sessions;

/// <summary>ASP.NET Core authentication of a Matrix device's page: <c>Authorization: Bearer</c> with a token from <see cref="MatrixSessions"/>.</summary>
public sealed class MatrixSessionAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggers, UrlEncoder encoder,
    MatrixSessions sessions) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggers, encoder)
{
    public const string SchemeName = "MatrixSession";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        const string prefix = "Bearer ";
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(prefix, StringComparison.Ordinal))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (sessions.Find(header[prefix.Length..].Trim()) is not { } session)
        {
            return Task.FromResult(AuthenticateResult.Fail("unknown or expired session"));
        }

        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, session.UserId),
            new Claim(WebClaims.Device, session.DeviceId),
            new Claim(WebClaims.Kind, WebDeviceKind.Matrix),
            new Claim(WebClaims.MatrixDevice, session.MatrixDeviceId),
        ], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
