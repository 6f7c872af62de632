using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WalkieTalkie.Gateway.Administration;

namespace WalkieTalkie.Gateway.Web.ConsoleApi;

/// <summary>
/// The console's API under <c>/console/v1</c>, over the application layer (<see cref="BadgeAdministration"/> and the
/// others) the CLI uses too. Reading needs a signed-in user (<see cref="ViewPolicy"/>) and shows what
/// <see cref="ConsoleAccess"/> allows; every change needs an admin (<see cref="AdminPolicy"/>), the antiforgery token
/// and is audited.
/// </summary>
public static class ConsoleEndpoints
{
    public const string ViewPolicy = "ConsoleView";
    public const string AdminPolicy = "ConsoleAdmin";

    private static readonly string[] Pages = ["overview", "badges", "channels", "permits", "recordings", "floor", "audit"];

    public static void MapConsole(this IEndpointRouteBuilder endpoints)
    {
        // The console's pages are the web app's (served under /walkie/): /console and /console/badges lead there.
        endpoints.MapGet("/console", () => Results.Redirect("/walkie/console/badges"));
        foreach (var page in Pages)
        {
            endpoints.MapGet("/console/" + page, () => Results.Redirect("/walkie/console/" + page));
        }

        var view = endpoints.MapGroup("/console/v1").RequireAuthorization(ViewPolicy);
        view.MapGet("/me", (HttpContext context, ConsoleAccess access) => Results.Json(new
        {
            user = context.User.Identity?.Name,
            admin = ConsoleAccess.IsAdmin(context.User),
            devices = access.OwnDevices(context.User).Order(StringComparer.Ordinal),
        }));

        var admin = endpoints.MapGroup("/console/v1").RequireAuthorization(AdminPolicy);
        admin.MapGet("/audit", (AuditTrail audit, int? last) => Results.Json(new { entries = audit.Recent(last ?? 200) }))
            .AddEndpointFilter<ConsoleChangeFilter>();
        var change = admin.MapGroup("").AddEndpointFilter<ConsoleChangeFilter>();

        view.MapConsoleBadges(change);
        view.MapConsoleChannels(change);
        view.MapConsolePermits(change);
        view.MapConsoleOutbox(change);
    }

    internal static AdminActor Actor(ClaimsPrincipal user) => AdminActor.OfConsole(user.Identity?.Name ?? "?");
}
