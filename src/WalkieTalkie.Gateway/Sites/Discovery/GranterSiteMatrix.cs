using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.MatrixBridge.Linking;
using WalkieTalkie.Gateway.Sites.Floor;
using WalkieTalkie.Gateway.Sites.FloorRecord;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Matrix.Client;

namespace WalkieTalkie.Gateway.Sites.Discovery;

/// <summary>
/// <see cref="ISiteMatrix"/> over the channel links (<c>walkie channel link</c>) and the granters' sessions the gateway
/// holds (<see cref="GranterAccount"/>): a granter is the account with the power to write the room's walkie state, so
/// its announcement carries the room's trust. One client per granter, kept until the gateway stops.
/// </summary>
public sealed class GranterSiteMatrix(BridgeStores stores, CurrentRegistry registry, IOptions<MatrixBridgeOptions> matrix,
    IOptions<GatewayOptions> gateway, ILogger<GranterSiteMatrix> logger) : ISiteMatrix, IAsyncDisposable
{
    private readonly Dictionary<string, MatrixClient> _clients = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public IReadOnlyList<SiteRoom> LinkedRooms()
    {
        var channels = registry.Snapshot.Channels;
        var rooms = new List<SiteRoom>();
        foreach (var link in stores.Links.Channels())
        {
            if (channels.FirstOrDefault(c => c.Name == link.Channel) is { } channel)
            {
                rooms.Add(new SiteRoom(link.RoomId, channel.Number, link.GranterUserId));
            }
        }

        return rooms;
    }

    public async Task AnnounceAsync(SiteRoom room, GatewayAnnouncement announcement, CancellationToken cancellationToken) =>
        await (await ClientAsync(room.GranterUserId, cancellationToken)).SendStateEventAsync(room.RoomId, GatewayAnnouncement.EventType,
            announcement.ToContent(), announcement.GatewayId, cancellationToken);

    public async Task WithdrawAsync(string roomId, string granterUserId, string gatewayId, CancellationToken cancellationToken) =>
        await (await ClientAsync(granterUserId, cancellationToken)).SendStateEventAsync(roomId, GatewayAnnouncement.EventType, [], gatewayId,
            cancellationToken);

    public async Task<IReadOnlyList<AnnouncedGateway>> ReadAsync(SiteRoom room, CancellationToken cancellationToken)
    {
        var state = await (await ClientAsync(room.GranterUserId, cancellationToken)).GetRoomStateAsync(room.RoomId, cancellationToken);
        var announced = new List<AnnouncedGateway>();
        foreach (var e in state)
        {
            if (e.Type != GatewayAnnouncement.EventType || e.StateKey is null || e.Sender is null)
            {
                continue;
            }

            if (GatewayAnnouncement.Parse(e.StateKey, e.Content, out var problem) is { } announcement)
            {
                announced.Add(new AnnouncedGateway(room.RoomId, e.Sender, announcement));
            }
            else if (problem is not null)
            {
                logger.LogDebug("Ignored the gateway announcement {Key} in {Room} from {Sender}: {Problem}", e.StateKey, room.RoomId, e.Sender, problem);
            }
        }

        return announced;
    }

    public async Task SendFloorAsync(SiteRoom room, JsonObject content, CancellationToken cancellationToken) =>
        await (await ClientAsync(room.GranterUserId, cancellationToken)).SendStateEventAsync(room.RoomId, RoomFloorContent.EventType, content, "",
            cancellationToken);

    public async Task<RoomFloorBatch> ReadFloorAsync(string granterUserId, IReadOnlyCollection<string> roomIds, string? since, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var client = await ClientAsync(granterUserId, cancellationToken);
        var response = await client.SyncAsync(since, FloorFilter(roomIds), timeout, cancellationToken);
        var seen = new List<SeenFloorEvent>();
        foreach (var (roomId, joined) in response.Rooms?.Join ?? [])
        {
            if (!roomIds.Contains(roomId))
            {
                continue;
            }

            // The state section holds what came before the timeline (after a gap): it goes first.
            foreach (var e in (joined.State?.Items ?? []).Concat(joined.Timeline?.Items ?? []))
            {
                if (e is { Type: RoomFloorContent.EventType, StateKey: "", Sender: { } sender, EventId: { } eventId, OriginServerTs: { } ts })
                {
                    seen.Add(new SeenFloorEvent(roomId, sender, eventId, ts, e.Content));
                }
            }
        }

        return new RoomFloorBatch(response.NextBatch, seen);
    }

    // Only the floor events of the shared rooms: the granter's sync carries nothing else.
    private static JsonObject FloorFilter(IReadOnlyCollection<string> roomIds)
    {
        JsonObject Types(params string[] types) => new() { ["types"] = new JsonArray(types.Select(t => (JsonNode)t).ToArray()) };
        var timeline = Types(RoomFloorContent.EventType);
        timeline["limit"] = 50;
        return new JsonObject
        {
            ["room"] = new JsonObject
            {
                ["rooms"] = new JsonArray(roomIds.Select(r => (JsonNode)r).ToArray()),
                ["timeline"] = timeline,
                ["state"] = Types(RoomFloorContent.EventType),
                ["ephemeral"] = Types(),
                ["account_data"] = Types(),
            },
            ["presence"] = Types(),
            ["account_data"] = Types(),
        };
    }

    public async Task<OpenIdToken> RequestOpenIdTokenAsync(string granterUserId, CancellationToken cancellationToken)
    {
        var (token, server) = await (await ClientAsync(granterUserId, cancellationToken)).RequestOpenIdTokenAsync(cancellationToken);
        return new OpenIdToken(token, server);
    }

    private async Task<MatrixClient> ClientAsync(string granterUserId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_clients.TryGetValue(granterUserId, out var client))
            {
                return client;
            }

            client = await GranterAccount.ConnectAsync(stores, matrix.Value, gateway.Value.DataDirectory, granterUserId, null, register: false, logger,
                cancellationToken) ?? throw new InvalidOperationException(
                    $"the gateway holds no session of the granter {granterUserId} (link the channel again with --granter-password)");
            _clients[granterUserId] = client;
            return client;
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        _clients.Clear();
        return ValueTask.CompletedTask;
    }
}
