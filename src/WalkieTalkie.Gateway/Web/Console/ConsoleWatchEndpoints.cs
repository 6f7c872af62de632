using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WalkieTalkie.Gateway.Administration;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Web.Accounts;
using WalkieTalkie.Gateway.Web.Walkie;

namespace WalkieTalkie.Gateway.Web.Console;

/// <summary>
/// The console's watching side under <c>/console/v1</c>: the live overview (a snapshot, and its server-sent event
/// stream), the floor log, and the recordings. Every answer holds only the channels the user may see
/// (<see cref="ConsoleAccess"/>); deleting a recording is for admins.
/// </summary>
public static class ConsoleWatchEndpoints
{
    public const string BasePath = "/console/v1";

    /// <summary>Floor decisions per page of the floor log.</summary>
    public const int FloorPageSize = 50;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static RouteGroupBuilder MapConsoleWatch(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(BasePath).RequireAuthorization(ConsoleApi.ConsoleEndpoints.ViewPolicy);
        group.MapGet("/overview", (HttpContext context, ConsoleLive live, ConsoleAccess access) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return Results.Json(live.Snapshot(access.VisibleChannelsNow(context.User)), Json);
        });
        group.MapGet("/live", LiveAsync);
        group.MapGet("/floor", FloorLog);
        group.MapConsoleRecordings();
        return group;
    }

    /// <summary>
    /// The overview as server-sent events: <c>snapshot</c> first, then <c>update</c> with what changed (at most one per
    /// <see cref="ConsoleLive.Coalescing"/>), and a fresh <c>snapshot</c> when the registry changed or this browser fell behind.
    /// </summary>
    private static async Task LiveAsync(HttpContext context, ConsoleLive live, ConsoleAccess access)
    {
        var user = context.User;
        using var subscription = live.Subscribe(() => access.VisibleChannelsNow(user));
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-store";
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        var aborted = context.RequestAborted;
        try
        {
            await WriteEventAsync(context.Response, live.Snapshot(subscription.Visible), aborted);
            await foreach (var message in subscription.Messages.ReadAllAsync(aborted))
            {
                if (subscription.TakeFellBehind())
                {
                    while (subscription.Messages.TryRead(out _))
                    {
                    }

                    await WriteEventAsync(context.Response, live.Snapshot(subscription.Visible), aborted);
                    continue;
                }

                await WriteEventAsync(context.Response, message, aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The browser went away.
        }
    }

    private static async Task WriteEventAsync(HttpResponse response, ConsoleOverview message, CancellationToken cancellation)
    {
        await response.WriteAsync($"event: {message.Kind}\ndata: {JsonSerializer.Serialize(message, Json)}\n\n", cancellation);
        await response.Body.FlushAsync(cancellation);
    }

    private static IResult FloorLog(HttpContext context, ConsoleAccess access, IStatusStore status, CurrentRegistry registry)
    {
        var query = context.Request.Query;
        var visible = access.VisibleChannelsNow(context.User);
        if (!ConsoleQuery.TryChannel(query["channel"], out var channel, out var error)
            || !ConsoleQuery.TryKind(query["kind"], out var kind, out error)
            || !ConsoleQuery.TryMs(query["from"], "from", out var from, out error)
            || !ConsoleQuery.TryMs(query["to"], "to", out var to, out error)
            || !ConsoleQuery.TryPage(query["page"], out var page, out error))
        {
            return Results.BadRequest(new { error });
        }

        if (channel is { } asked && !ConsoleAccess.Includes(visible, asked))
        {
            return Results.Json(new { error = $"channel {asked} is not one of yours" }, statusCode: StatusCodes.Status403Forbidden);
        }

        var snapshot = registry.Snapshot;
        var badge = query["badge"].ToString().Trim();
        var badgeId = badge.Length == 0 ? null : snapshot.Badges.FirstOrDefault(b => b.Name == badge)?.Id ?? badge;
        IReadOnlyCollection<byte>? channels = channel is { } one ? [one] : visible;
        // One more than a page tells whether there is a next one.
        var rows = status.Decisions(new FloorLogQuery(channels, badgeId, kind, from, to, page * FloorPageSize, FloorPageSize + 1));
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(new
        {
            page,
            more = rows.Count > FloorPageSize,
            decisions = rows.Take(FloorPageSize).Select(d => new
            {
                atMs = d.AtMs,
                channel = d.Channel,
                channelName = snapshot.Channel(d.Channel)?.Name,
                badgeId = d.BadgeId,
                badge = snapshot.Badge(d.BadgeId)?.Name ?? d.BadgeId,
                kind = Status.FloorKinds.Of(d).ToString().ToLowerInvariant(),
                decision = d.Decision,
                reason = d.Reason,
                burstId = d.BurstId,
            }),
        }, Json);
    }

    /// <summary>Checks the antiforgery token when the request came with the account cookie (a bearer session carries no ambient credentials).</summary>
    internal static async Task<bool> CheckCookieAntiforgeryAsync(HttpContext context, IAntiforgery antiforgery, WebRefusals refusals, string what) =>
        context.User.Identity?.AuthenticationType != AccountEndpoints.CookieScheme
        || await AccountEndpoints.CheckAntiforgeryAsync(context, antiforgery, refusals, what);
}
