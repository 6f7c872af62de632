using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Web.Accounts;

namespace WalkieTalkie.Gateway.Web.ConsoleApi;

/// <summary>
/// Every console change passes here: a cookie-signed request must carry the antiforgery token (a cookie travels by
/// itself, a bearer token does not), and a change the application layer refuses answers 400 with its message.
/// </summary>
public sealed class ConsoleChangeFilter(IAntiforgery antiforgery, WebRefusals refusals) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.Identity?.AuthenticationType == AccountEndpoints.CookieScheme
            && !await AccountEndpoints.CheckAntiforgeryAsync(http, antiforgery, refusals, "console change"))
        {
            return Results.BadRequest(new { error = "antiforgery token missing or invalid" });
        }

        try
        {
            return await next(context);
        }
        catch (RegistryException e)
        {
            return Results.BadRequest(new { error = e.Message });
        }
    }
}
