using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WalkieTalkie.Gateway.Web.Devices;
using WalkieTalkie.Gateway.Web.Sessions;

namespace WalkieTalkie.Gateway.Web.Accounts;

/// <summary>
/// Sign-in with a gateway-local account, shared by both faces of the web app (the walkie, and the console to come):
/// <c>GET /web/v1/antiforgery</c> (the token the page sends back in <see cref="AntiforgeryHeader"/>),
/// <c>POST /web/v1/login</c> (rate-limited per client address), <c>POST /web/v1/logout</c>. The session is an
/// ASP.NET Core cookie (HttpOnly, SameSite=Strict).
/// </summary>
public static class AccountEndpoints
{
    public const string CookieScheme = "WalkieAccount";
    public const string AntiforgeryHeader = "X-Walkie-Antiforgery";

    public sealed record LoginRequest(string? Name, string? Password);

    public static RouteGroupBuilder MapAccounts(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/web/v1");
        group.MapGet("/antiforgery", async (HttpContext context, IAntiforgery antiforgery) =>
        {
            // The token is bound to the signed-in user; the gateway has no default scheme, so the cookie is read here.
            if (await context.AuthenticateAsync(CookieScheme) is { Succeeded: true } signedIn)
            {
                context.User = signedIn.Principal;
            }

            var tokens = antiforgery.GetAndStoreTokens(context);
            context.Response.Headers.CacheControl = "no-store";
            return Results.Json(new { token = tokens.RequestToken, header = AntiforgeryHeader });
        });
        group.MapPost("/login", LoginAsync).RequireLoginRateLimit().DisableAntiforgery();
        group.MapPost("/logout", LogoutAsync).DisableAntiforgery();
        return group;
    }

    /// <summary>Checks the antiforgery token of a cookie-authenticated request; logs and returns false when it fails.</summary>
    public static async Task<bool> CheckAntiforgeryAsync(HttpContext context, IAntiforgery antiforgery, WebRefusals refusals, string what)
    {
        if (await antiforgery.IsRequestValidAsync(context))
        {
            return true;
        }

        refusals.Log(context, what, "missing or invalid antiforgery token");
        return false;
    }

    private static async Task<IResult> LoginAsync(HttpContext context, LoginRequest request, IWebUserStore users, IAntiforgery antiforgery,
        WebRefusals refusals)
    {
        if (!await CheckAntiforgeryAsync(context, antiforgery, refusals, "login"))
        {
            return Results.BadRequest(new { error = "antiforgery token missing or invalid" });
        }

        var user = request.Name is { Length: > 0 and <= 64 } name ? users.Find(name) : null;
        if (!WebPasswords.Verify(user?.PasswordHash, request.Password ?? "") || user is null)
        {
            refusals.Log(context, "login", "wrong user name or password", request.Name);
            return Results.Json(new { error = "wrong user name or password" }, statusCode: StatusCodes.Status401Unauthorized);
        }

        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, user.Name),
            new Claim(ClaimTypes.Role, user.Role),
            new Claim(WebClaims.Device, user.Name),
            new Claim(WebClaims.Kind, WebDeviceKind.Local),
        ], CookieScheme);
        await context.SignInAsync(CookieScheme, new ClaimsPrincipal(identity));
        return Results.Json(new { user = user.Name, role = user.Role, device = user.Name });
    }

    private static async Task<IResult> LogoutAsync(HttpContext context, IAntiforgery antiforgery, WebRefusals refusals)
    {
        if (!await CheckAntiforgeryAsync(context, antiforgery, refusals, "logout"))
        {
            return Results.BadRequest(new { error = "antiforgery token missing or invalid" });
        }

        await context.SignOutAsync(CookieScheme);
        return Results.NoContent();
    }

    internal static void ConfigureCookie(CookieAuthenticationOptions options, TimeSpan lifetime)
    {
        options.Cookie.Name = "walkie.account";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.ExpireTimeSpan = lifetime;
        options.SlidingExpiration = true;
        // An API answers 401 and 403; the pages decide where to send the user.
        options.Events.OnRedirectToLogin = context =>
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        };
        options.Events.OnRedirectToAccessDenied = context =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        };
    }
}
