using WalkieTalkie.Gateway.Sites.Floor;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Engine;

// The fallback floor across sites: the room's floor events (org.matrix.msc4002.floor, read through the granter's sync)
// decide crossings between this site's bursts and those of gateways it is not linked to live. The loser is stopped as
// a collision over the link would stop it; while a peer's claim holds the room, a badge here is refused as busy.
public sealed partial class GatewayEngine
{
    private const int MaxDecidedInRoom = 1024;

    private readonly RoomFloorArbiter? _roomFloor;

    // The crossings the room decided, so the link's report of the same bursts after a reconnect is not logged twice.
    private readonly HashSet<(string, uint, string, uint)> _decidedInRoom = [];

    internal RoomFloorArbiter? RoomFloor => _roomFloor;

    /// <summary>A floor event of a room this gateway shares with others, in the room's order.</summary>
    public void SeeRoomFloor(string roomId, RoomFloorEvent floorEvent) => Post(new RoomFloorSeenEvent(roomId, floorEvent));

    /// <summary>The claim of a gateway not linked live that holds the channel's room, as a claim of that site.</summary>
    private SiteFloorClaim? HeldInRoom(byte channel) =>
        _roomFloor is not null && _sites!.RoomOf(channel) is { } room && _roomFloor.PeerHolder(room, _siteFloor!.LinkedPeers(room)) is { } claim
            ? new SiteFloorClaim(room, claim.GatewayId, claim.BurstId, claim.Talker, null, claim.OriginServerTs, claim.Emergency)
            : null;

    private async Task HandleRoomFloorAsync(RoomFloorSeenEvent e)
    {
        if (_sites!.ChannelOf(e.RoomId) is not { } channel)
        {
            return;
        }

        foreach (var verdict in _roomFloor!.OnEvent(e.RoomId, e.Event, _siteFloor!.LinkedPeers(e.RoomId)))
        {
            var (winner, loser) = (verdict.Winner, verdict.Loser);
            var local = winner.GatewayId == _sites.OwnGatewayId ? winner : loser;
            if (_decidedInRoom.Count >= MaxDecidedInRoom)
            {
                _decidedInRoom.Clear();
            }

            _decidedInRoom.Add(Crossing(winner.GatewayId, winner.BurstId, loser.GatewayId, loser.BurstId));
            // An SOS's claim ends an ordinary burst whenever it came (preempted, as a local SOS would); else the room's order won a race.
            var preempted = winner.Emergency && !loser.Emergency;
            Decide(channel, local.Talker, preempted ? "preempted" : "collision",
                $"{RemoteKey(winner.GatewayId, winner.Talker)} {(preempted ? "(emergency) preempted" : "won over")} {RemoteKey(loser.GatewayId, loser.Talker)}"
                + " by the room's floor events (the sites are not linked)", local.BurstId);
            if (loser == local && _floor.Holder(channel)?.BurstId == loser.BurstId
                && _floor.Revoke(channel, preempted ? EndReason.Preempted : EndReason.Collision) is { } end)
            {
                await EndBurstAsync(end, null);
            }
        }
    }

    private bool DecidedInRoom(SiteCollision collision) =>
        _decidedInRoom.Contains(Crossing(collision.Winner.GatewayId, collision.Winner.BurstId, collision.Loser.GatewayId, collision.Loser.BurstId));

    // The same two bursts, whichever order the rule that decided them put them in.
    private static (string, uint, string, uint) Crossing(string gatewayA, uint burstA, string gatewayB, uint burstB) =>
        string.CompareOrdinal(gatewayA, gatewayB) <= 0 ? (gatewayA, burstA, gatewayB, burstB) : (gatewayB, burstB, gatewayA, burstA);
}
