using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Administration;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;

namespace WalkieTalkie.Gateway.Web.ConsoleApi;

/// <summary>
/// <c>/console/v1/channels</c>: the channels a user may see, with their members and linked room; an admin adds one,
/// changes its settings (name, rate, talk limit, retention, end tone) and its members, and links it to a Matrix room
/// (<see cref="ChannelLinking"/>, as <c>walkie channel link</c> does).
/// </summary>
public static class ConsoleChannelEndpoints
{
    public static void MapConsoleChannels(this RouteGroupBuilder view, RouteGroupBuilder change)
    {
        view.MapGet("/channels", (HttpContext context, ConsoleAccess access, IRegistryReader registry, BridgeStores bridge) =>
        {
            var snapshot = registry.Load();
            var visible = access.VisibleChannels(context.User, snapshot);
            var links = bridge.Links.Channels().ToDictionary(l => l.Channel);
            var channels = snapshot.Channels.Where(c => visible.Contains(c.Number)).OrderBy(c => c.Number).Select(c => new
            {
                number = c.Number,
                name = c.Name,
                sampleRate = c.SampleRate,
                maxTalkSeconds = c.MaxTalkSeconds,
                retentionDays = c.RetentionDays,
                endTone = c.EndTone,
                room = links.GetValueOrDefault(c.Name)?.RoomId,
                granter = links.GetValueOrDefault(c.Name)?.GranterUserId,
                members = snapshot.Members(c.Number).Select(m => new { id = m, name = snapshot.Badge(m)?.Name ?? m }),
            });
            return Results.Json(new { channels });
        });

        change.MapPost("/channels", (HttpContext context, ConsoleRequests.NewChannel request, ChannelAdministration channels) =>
        {
            channels.Add(ConsoleEndpoints.Actor(context.User), request.Number, request.Name ?? "", request.SampleRate ?? 8000,
                request.MaxTalkSeconds ?? 30, request.RetentionDays ?? ChannelRecord.DefaultRetentionDays);
            return Results.NoContent();
        });
        change.MapPost("/channels/{number:int}/settings", (HttpContext context, int number, ConsoleRequests.ChannelSettings request,
            ChannelAdministration channels) =>
        {
            var actor = ConsoleEndpoints.Actor(context.User);
            if (request.Name is { } name)
            {
                channels.Rename(actor, number, name);
            }

            if (request.SampleRate is { } rate)
            {
                channels.SetSampleRate(actor, number, rate);
            }

            if (request.MaxTalkSeconds is { } seconds)
            {
                channels.SetMaxTalkSeconds(actor, number, seconds);
            }

            if (request.RetentionDays is { } days)
            {
                channels.SetRetention(actor, number, days);
            }

            if (request.EndTone is { } on)
            {
                channels.SetEndTone(actor, number, on);
            }

            return Results.NoContent();
        });
        change.MapPost("/channels/{number:int}/members", (HttpContext context, int number, ConsoleRequests.Member request, ChannelAdministration channels) =>
        {
            channels.Join(ConsoleEndpoints.Actor(context.User), number, request.Badge ?? "");
            return Results.NoContent();
        });
        // The link is saved even when the room could not be set up: the answer says what was done and what was not.
        change.MapPost("/channels/{number:int}/link", async (HttpContext context, int number, ConsoleRequests.ChannelLink request, ChannelLinking linking,
            ILoggerFactory loggers, CancellationToken cancellationToken) =>
        {
            var link = new ChannelLinkRequest(linking.ChannelName(number), request.Room ?? "", request.Granter ?? "",
                string.IsNullOrEmpty(request.GranterPassword) ? null : request.GranterPassword);
            var report = await linking.LinkAsync(ConsoleEndpoints.Actor(context.User), link, loggers.CreateLogger<ChannelLinking>(), cancellationToken);
            return Results.Json(new { channel = number, room = report.Link.RoomId, complete = report.NotDone.Count == 0, done = report.Done, notDone = report.NotDone });
        });
        change.MapDelete("/channels/{number:int}/members/{badge}", (HttpContext context, int number, string badge, ChannelAdministration channels) =>
        {
            channels.Leave(ConsoleEndpoints.Actor(context.User), number, badge);
            return Results.NoContent();
        });
    }
}
