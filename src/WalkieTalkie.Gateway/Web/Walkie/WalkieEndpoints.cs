using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Permits;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Gateway.Transports.WebSockets;
using WalkieTalkie.Gateway.Web.Accounts;
using WalkieTalkie.Gateway.Web.Devices;
using WalkieTalkie.Gateway.Web.MatrixAuth;
using WalkieTalkie.Gateway.Web.Sessions;

namespace WalkieTalkie.Gateway.Web.Walkie;

/// <summary>
/// The web walkie's API under <c>/walkie/v1</c>: who I am and my channels, what is live, recent bursts, a ticket for the
/// WebSocket, the WebSocket itself, and the Matrix sign-in (an OpenID token exchanged for a session).
/// </summary>
public static class WalkieEndpoints
{
    public const string Policy = "WebWalkie";

    public sealed record MatrixSessionRequest(string? AccessToken, string? MatrixServerName, string? DeviceId, string? RoomId);

    public static RouteGroupBuilder MapWalkie(this IEndpointRouteBuilder endpoints)
    {
        var open = endpoints.MapGroup("/walkie/v1");
        open.MapGet("/socket", SocketAsync);
        // Which rooms a Matrix device may sign in to: the rooms the channels are linked to (room ids, nothing more).
        open.MapGet("/rooms", (BridgeStores bridge) => Results.Json(new { rooms = bridge.Links.Channels().Select(l => l.RoomId).ToArray() }));
        open.MapPost("/matrix/session", MatrixSessionAsync).RequireLoginRateLimit().DisableAntiforgery();

        var group = endpoints.MapGroup("/walkie/v1").RequireAuthorization(Policy);
        group.MapGet("/me", Me);
        group.MapGet("/live", Live);
        group.MapGet("/bursts", Bursts);
        group.MapPost("/ticket", TicketAsync).DisableAntiforgery();
        group.MapPost("/matrix/logout", (HttpContext context, MatrixSessions sessions) =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            sessions.End(header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..].Trim() : "");
            return Results.NoContent();
        });
        return group;
    }

    private static IResult Me(HttpContext context, CurrentRegistry registry, TimeProvider time, BridgeStores bridge)
    {
        var device = WebClaims.DeviceOf(context.User)!;
        var snapshot = registry.Snapshot;
        var rooms = bridge.Links.Channels().ToDictionary(l => l.Channel, l => l.RoomId);
        var channels = snapshot.ChannelsOf(device).Select(snapshot.Channel).OfType<ChannelRecord>().OrderBy(c => c.Number).Select(c => new
        {
            number = c.Number,
            name = c.Name,
            sampleRate = c.SampleRate,
            permits = snapshot.EffectivePermits(device, c.Number, time.GetUtcNow()),
            room = rooms.GetValueOrDefault(c.Name),
        });
        return Results.Json(new
        {
            user = context.User.Identity?.Name,
            device,
            name = snapshot.Badge(device)?.Name,
            kind = context.User.FindFirst(WebClaims.Kind)?.Value,
            matrixDevice = context.User.FindFirst(WebClaims.MatrixDevice)?.Value,
            role = context.User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value,
            channels,
        });
    }

    private static IResult Live(HttpContext context, CurrentRegistry registry, LiveChannels live, TimeProvider time, IWebDeviceStore webDevices)
    {
        var device = WebClaims.DeviceOf(context.User)!;
        var snapshot = registry.Snapshot;
        var now = time.GetUtcNow();
        var web = webDevices.List().Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var channels = snapshot.ChannelsOf(device).Where(c => PermitWatcher.MayHear(snapshot.EffectivePermits(device, c, now))).Select(c =>
        {
            var talking = live.Talking(c);
            return new
            {
                number = c,
                talker = talking is null ? null : talking.Talker.IsBadge ? snapshot.Badge(talking.Talker.Name)?.Name ?? talking.Talker.Name : talking.Talker.Name,
                priority = talking?.Priority ?? false,
                // Who hears it: awake devices permitted to listen, not the one talking (it does not hear itself).
                listeners = snapshot.Members(c)
                    .Where(m => PermitWatcher.MayHear(snapshot.EffectivePermits(m, c, now)) && live.StateOf(m) is not ("offline" or "pocket" or "talking"))
                    .Select(m => new { name = snapshot.Badge(m)?.Name ?? m, state = live.StateOf(m), web = web.Contains(m) })
                    .OrderBy(l => l.name, StringComparer.Ordinal),
            };
        });
        return Results.Json(new { channels });
    }

    private static IResult Bursts(HttpContext context, CurrentRegistry registry, TimeProvider time, IRecordingIndex recordings)
    {
        var device = WebClaims.DeviceOf(context.User)!;
        var snapshot = registry.Snapshot;
        var now = time.GetUtcNow();
        var bursts = recordings.Recent(200)
            .Where(r => r.DurationMs > 0 && r.PrivateTo == "" && PermitWatcher.MayHear(snapshot.EffectivePermits(device, r.Channel, now)))
            .Take(20)
            .Select(r => new
            {
                burstId = r.BurstId,
                channel = r.Channel,
                talker = snapshot.Badge(r.BadgeId)?.Name ?? r.BadgeId,
                startedAt = r.StartedAtMs,
                durationMs = r.DurationMs,
            });
        return Results.Json(new { bursts });
    }

    private static async Task<IResult> TicketAsync(HttpContext context, SocketTickets tickets, IAntiforgery antiforgery, WebRefusals refusals)
    {
        // A cookie travels by itself; a bearer token does not: only the cookie's requests need the antiforgery token.
        if (context.User.Identity?.AuthenticationType == AccountEndpoints.CookieScheme
            && !await AccountEndpoints.CheckAntiforgeryAsync(context, antiforgery, refusals, "socket ticket"))
        {
            return Results.BadRequest(new { error = "antiforgery token missing or invalid" });
        }

        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(new { ticket = tickets.Issue(WebClaims.DeviceOf(context.User)!) });
    }

    private static async Task SocketAsync(HttpContext context, SocketTickets tickets, WebSocketTransport transport, CurrentRegistry registry,
        IOptions<WebOptions> options, WebRefusals refusals)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var origin = context.Request.Headers.Origin.ToString();
        if (!OriginPolicy.IsAllowed(origin, context.Request, options.Value.AllowedOrigins))
        {
            refusals.Log(context, "web walkie socket", "cross-origin upgrade", origin);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var device = tickets.Redeem(context.Request.Query["ticket"]);
        if (device is null || registry.Snapshot.Badge(device) is null)
        {
            refusals.Log(context, "web walkie socket", "no session (missing, used or expired ticket)", context.Request.Query["ticket"]);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await transport.RunAsync(device, socket, context.RequestAborted);
    }

    private static async Task<IResult> MatrixSessionAsync(HttpContext context, MatrixSessionRequest request, OpenIdVerifier verifier,
        IWebDeviceStore devices, BridgeStores bridge, MatrixSessions sessions, WebRefusals refusals)
    {
        if (request.DeviceId is not { Length: > 0 and <= 255 } matrixDevice || request.RoomId is not { Length: > 1 and <= 255 } roomId
            || !roomId.StartsWith('!'))
        {
            refusals.Log(context, "Matrix sign-in", "no Matrix device or room", request.DeviceId);
            return Results.BadRequest(new { error = "a Matrix device id and a room id are needed" });
        }

        var link = bridge.Links.Channels().FirstOrDefault(l => l.RoomId == roomId);
        var channel = link is null ? null : bridge.Channels.List().FirstOrDefault(c => c.Name == link.Channel);
        if (channel is null)
        {
            refusals.Log(context, "Matrix sign-in", "room not linked to a channel", roomId);
            return Results.NotFound(new { error = "this room is not a walkie channel of this gateway" });
        }

        var result = await verifier.VerifyAsync(request.AccessToken, request.MatrixServerName, context.RequestAborted);
        if (result.UserId is not { } userId)
        {
            refusals.Log(context, "Matrix sign-in", result.Problem!, request.MatrixServerName);
            return result.IsUnavailable
                ? Results.Json(new { error = result.Problem }, statusCode: StatusCodes.Status502BadGateway)
                : Results.Json(new { error = "the OpenID token was refused: " + result.Problem }, statusCode: StatusCodes.Status401Unauthorized);
        }

        var device = devices.EnsureMatrixDevice(userId, matrixDevice, $"{userId} ({matrixDevice})", channel.Number);
        var token = sessions.Create(userId, matrixDevice, device.Id, roomId);
        return Results.Json(new { session = token, device = device.Id, user = userId, channel = channel.Number });
    }
}
