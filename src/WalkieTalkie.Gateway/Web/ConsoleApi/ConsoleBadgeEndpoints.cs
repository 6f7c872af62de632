using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WalkieTalkie.Gateway.Administration;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Web.Devices;

namespace WalkieTalkie.Gateway.Web.ConsoleApi;

/// <summary>
/// <c>/console/v1/badges</c>: the badges (and web devices) a user may see; an admin adds (the secret and its
/// provisioning file and QR code in that one answer), renames, removes, rotates the secret, sets priority.
/// </summary>
public static class ConsoleBadgeEndpoints
{
    public static void MapConsoleBadges(this RouteGroupBuilder view, RouteGroupBuilder change)
    {
        view.MapGet("/badges", (HttpContext context, ConsoleAccess access, IRegistryReader registry, IWebDeviceStore webDevices) =>
        {
            var snapshot = registry.Load();
            var web = webDevices.List().ToDictionary(d => d.Id, d => d.Kind, StringComparer.Ordinal);
            var badges = snapshot.Badges.Where(b => access.MaySeeDevice(context.User, b.Id)).OrderBy(b => b.Id, StringComparer.Ordinal).Select(b => new
            {
                id = b.Id,
                name = b.Name,
                priority = b.Priority,
                kind = web.GetValueOrDefault(b.Id, "badge"),
                channels = snapshot.ChannelsOf(b.Id).Order(),
            });
            return Results.Json(new { badges });
        });

        change.MapPost("/badges", (HttpContext context, ConsoleRequests.NewBadge request, BadgeAdministration badges) =>
        {
            var id = request.Id ?? "";
            var secret = badges.Add(ConsoleEndpoints.Actor(context.User), id, string.IsNullOrEmpty(request.Name) ? null : request.Name, request.Priority);
            return Secret(context, id, secret);
        });
        change.MapPost("/badges/{id}/name", (HttpContext context, string id, ConsoleRequests.Name request, BadgeAdministration badges) =>
        {
            badges.Rename(ConsoleEndpoints.Actor(context.User), id, request.Value ?? "");
            return Results.NoContent();
        });
        change.MapPost("/badges/{id}/secret", (HttpContext context, string id, BadgeAdministration badges) =>
            Secret(context, id, badges.RotateSecret(ConsoleEndpoints.Actor(context.User), id)));
        change.MapPost("/badges/{id}/priority", (HttpContext context, string id, ConsoleRequests.Switch request, BadgeAdministration badges) =>
        {
            badges.SetPriority(ConsoleEndpoints.Actor(context.User), id, request.On);
            return Results.NoContent();
        });
        change.MapDelete("/badges/{id}", (HttpContext context, string id, BadgeAdministration badges) =>
        {
            badges.Remove(ConsoleEndpoints.Actor(context.User), id);
            return Results.NoContent();
        });
    }

    // The secret is in this answer only: never cached, never shown by a later read.
    private static IResult Secret(HttpContext context, string id, string secret)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(BadgeProvisioning.For(id, secret));
    }
}
