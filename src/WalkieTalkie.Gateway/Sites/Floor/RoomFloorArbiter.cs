namespace WalkieTalkie.Gateway.Sites.Floor;

/// <summary>
/// The fallback floor across sites: the room's <c>org.matrix.msc4002.floor</c> events decide between this gateway's
/// claims and those of peers it is not linked to live (the live link, <see cref="SiteFloorArbiter"/>, decides the
/// others). Sans-I/O and single-threaded: the events go in in the room's order, verdicts come out.
/// <para>
/// A claim is live from its event until its release is seen or its <c>lease_until_ts</c> passes. When a claim is seen
/// while a claim of another gateway is live, the two crossed: the earlier <c>origin_server_ts</c> wins, then the lower
/// event id. Both gateways read the same events with the same values, so both reach the same verdict; each stops only
/// its own burst. A claim that lost no longer holds the room, even before its release arrives.
/// </para>
/// </summary>
public sealed class RoomFloorArbiter(string ownGatewayId, TimeProvider time)
{
    private readonly Dictionary<string, Dictionary<string, RoomFloorClaim>> _live = new(StringComparer.Ordinal);
    private readonly HashSet<string> _lost = new(StringComparer.Ordinal);

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// A floor event of the room, in the room's order. <paramref name="linkedPeers"/> are the gateways linked live for the
    /// room now: crossings with them are the link's to decide. Returns the crossings this event decided that involve this
    /// gateway (empty for most events).
    /// </summary>
    public IReadOnlyList<RoomFloorVerdict> OnEvent(string roomId, RoomFloorEvent floorEvent, IReadOnlyCollection<string> linkedPeers)
    {
        var live = LiveClaims(roomId);
        switch (floorEvent)
        {
            case RoomFloorRelease release:
                if (live.TryGetValue(release.GatewayId, out var released) && released.BurstId == release.BurstId)
                {
                    Forget(live, released);
                }

                return [];
            case RoomFloorClaim claim when live.TryGetValue(claim.GatewayId, out var known) && known.EventId == claim.EventId:
                return []; // seen again (a state section repeating the timeline)
            case RoomFloorClaim claim:
                return Claimed(roomId, live, claim, linkedPeers);
            default:
                return [];
        }
    }

    /// <summary>
    /// The live claim that holds the room for a gateway this one is not linked to (a local press is busy), or null. Of
    /// several, the one the room's order puts first.
    /// </summary>
    public RoomFloorClaim? PeerHolder(string roomId, IReadOnlyCollection<string> linkedPeers)
    {
        if (!_live.TryGetValue(roomId, out var live))
        {
            return null;
        }

        RoomFloorClaim? holder = null;
        foreach (var claim in live.Values)
        {
            if (claim.GatewayId != ownGatewayId && !linkedPeers.Contains(claim.GatewayId) && IsLive(claim)
                && (holder is null || claim.Beats(holder)))
            {
                holder = claim;
            }
        }

        return holder;
    }

    private List<RoomFloorVerdict> Claimed(string roomId, Dictionary<string, RoomFloorClaim> live, RoomFloorClaim claim, IReadOnlyCollection<string> linkedPeers)
    {
        if (live.TryGetValue(claim.GatewayId, out var previous))
        {
            Forget(live, previous); // a gateway holds one claim at a time: its new burst ended the old one
        }

        foreach (var expired in live.Values.Where(c => !IsLive(c)).ToList())
        {
            Forget(live, expired);
        }

        var verdicts = new List<RoomFloorVerdict>();
        if (claim.LeaseUntilTs <= Now)
        {
            return verdicts;
        }

        foreach (var other in live.Values)
        {
            var peer = claim.GatewayId == ownGatewayId ? other.GatewayId : other.GatewayId == ownGatewayId ? claim.GatewayId : null;
            if (peer is null || linkedPeers.Contains(peer))
            {
                continue;
            }

            var (winner, loser) = other.Beats(claim) ? (other, claim) : (claim, other);
            _lost.Add(loser.EventId);
            verdicts.Add(new RoomFloorVerdict(roomId, winner, loser));
        }

        live[claim.GatewayId] = claim;
        return verdicts;
    }

    private bool IsLive(RoomFloorClaim claim) => claim.LeaseUntilTs > Now && !_lost.Contains(claim.EventId);

    private void Forget(Dictionary<string, RoomFloorClaim> live, RoomFloorClaim claim)
    {
        live.Remove(claim.GatewayId);
        _lost.Remove(claim.EventId);
    }

    private Dictionary<string, RoomFloorClaim> LiveClaims(string roomId)
    {
        if (!_live.TryGetValue(roomId, out var live))
        {
            live = new Dictionary<string, RoomFloorClaim>(StringComparer.Ordinal);
            _live[roomId] = live;
        }

        return live;
    }
}
