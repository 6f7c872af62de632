using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Sites.Discovery;
using WalkieTalkie.Gateway.Sites.Floor;
using SiteRoom = WalkieTalkie.Gateway.Sites.Discovery.SiteRoom;

namespace WalkieTalkie.Gateway.Sites.FloorRecord;

/// <summary>
/// Reads the floor events of the rooms this gateway shares with others and hands them to the engine in the room's order
/// (<see cref="GatewayEngine.SeeRoomFloor"/>). One long-polling sync per granter account, filtered to the floor events
/// of its shared rooms: the state re-read of discovery (every 30 s) would see a crossing claim long after the two
/// badges started talking over each other, while a sync hears it as soon as the homeserver has it, and an idle
/// long-poll costs one open request. An event is taken only from the account that announced its gateway in the room.
/// </summary>
public sealed class RoomFloorReader(ISiteMatrix matrix, RoomGateways gateways, GatewayIdentity identity, TimeProvider time, ILogger<RoomFloorReader> logger)
{
    private static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RoomsCheck = TimeSpan.FromSeconds(1);

    /// <summary>Follows every granter with a shared room until <paramref name="cancellationToken"/> stops it.</summary>
    public async Task RunAsync(GatewayEngine engine, CancellationToken cancellationToken)
    {
        var followed = new Dictionary<string, Task>(StringComparer.Ordinal);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                foreach (var granter in SharedRooms().Select(r => r.GranterUserId).Distinct())
                {
                    if (!followed.ContainsKey(granter))
                    {
                        followed[granter] = FollowAsync(engine, granter, cancellationToken);
                    }
                }

                await Task.Delay(RoomsCheck, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(followed.Values);
    }

    private IEnumerable<SiteRoom> SharedRooms() => gateways.Rooms.Where(room => gateways.IsShared(room.RoomId, identity.Id));

    private async Task FollowAsync(GatewayEngine engine, string granter, CancellationToken cancellationToken)
    {
        string? since = null;
        var backoff = TimeSpan.FromSeconds(1);
        var failing = false;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var rooms = SharedRooms().Where(r => r.GranterUserId == granter).Select(r => r.RoomId).ToArray();
                if (rooms.Length == 0)
                {
                    await Task.Delay(RoomsCheck, time, cancellationToken);
                    continue;
                }

                try
                {
                    var batch = await matrix.ReadFloorAsync(granter, rooms, since, LongPoll, cancellationToken);
                    since = batch.NextBatch;
                    foreach (var seen in batch.Events)
                    {
                        Deliver(engine, seen);
                    }

                    if (failing)
                    {
                        failing = false;
                        logger.LogInformation("The floor events of {Granter}'s rooms are read again", granter);
                    }

                    backoff = TimeSpan.FromSeconds(1);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    if (!failing)
                    {
                        failing = true;
                        logger.LogWarning("The floor events of {Granter}'s rooms are not read ({Error}): crossing claims with unlinked gateways go undecided until it works again",
                            granter, e.Message);
                    }

                    await Task.Delay(backoff, time, cancellationToken);
                    backoff = backoff * 2 < LongestBackoff ? backoff * 2 : LongestBackoff;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Deliver(GatewayEngine engine, SeenFloorEvent seen)
    {
        if (RoomFloorContent.Parse(seen.EventId, seen.OriginServerTs, seen.Content, out var problem) is not { } floorEvent)
        {
            if (problem is not null)
            {
                logger.LogDebug("Ignored the floor event {Event} in {Room} from {Sender}: {Problem}", seen.EventId, seen.RoomId, seen.Sender, problem);
            }

            return;
        }

        var speaksFor = floorEvent.GatewayId == identity.Id
            ? gateways.Room(seen.RoomId)?.GranterUserId
            : gateways.Find(seen.RoomId, floorEvent.GatewayId)?.Sender;
        if (speaksFor != seen.Sender)
        {
            logger.LogDebug("Ignored the floor event {Event} in {Room}: {Sender} does not speak for gateway {Gateway}", seen.EventId, seen.RoomId, seen.Sender,
                floorEvent.GatewayId);
            return;
        }

        engine.SeeRoomFloor(seen.RoomId, floorEvent);
    }
}
