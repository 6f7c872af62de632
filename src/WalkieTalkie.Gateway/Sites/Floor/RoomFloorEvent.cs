namespace WalkieTalkie.Gateway.Sites.Floor;

/// <summary>
/// An <c>org.matrix.msc4002.floor</c> state event as read from the room (content: <see cref="RoomFloorContent"/>): a
/// gateway's claim of the room's floor for one of its bursts, or the release of that claim. The event id and
/// <c>origin_server_ts</c> come from the homeserver, so every gateway reading the room sees the same values.
/// </summary>
public abstract record RoomFloorEvent(string EventId, long OriginServerTs, string GatewayId, uint BurstId);

/// <summary>
/// A gateway granted <paramref name="Talker"/> the room's floor for burst <paramref name="BurstId"/>; the claim lapses at
/// <paramref name="LeaseUntilTs"/> (the claiming gateway's clock, Unix ms) even if its release never comes.
/// <paramref name="Emergency"/>: an open emergency's (SOS) burst, which wins over any claim that is not one.
/// </summary>
public sealed record RoomFloorClaim(string EventId, long OriginServerTs, string GatewayId, uint BurstId, string Talker, long LeaseUntilTs,
    bool Emergency = false) : RoomFloorEvent(EventId, OriginServerTs, GatewayId, BurstId)
{
    /// <summary>
    /// The room's order of crossing claims: an emergency's before one that is not, whatever their order; then the earlier
    /// <c>origin_server_ts</c>, then the lower event id (ordinal).
    /// </summary>
    public bool Beats(RoomFloorClaim other) =>
        Emergency != other.Emergency ? Emergency
        : OriginServerTs != other.OriginServerTs ? OriginServerTs < other.OriginServerTs
        : string.CompareOrdinal(EventId, other.EventId) < 0;
}

/// <summary>The claim of burst <paramref name="BurstId"/> by gateway <paramref name="GatewayId"/> ended.</summary>
public sealed record RoomFloorRelease(string EventId, long OriginServerTs, string GatewayId, uint BurstId)
    : RoomFloorEvent(EventId, OriginServerTs, GatewayId, BurstId);

/// <summary>
/// Two claims crossed in the room while their gateways were not linked live: <paramref name="Winner"/> keeps the floor,
/// <paramref name="Loser"/>'s gateway stops its burst.
/// </summary>
public sealed record RoomFloorVerdict(string RoomId, RoomFloorClaim Winner, RoomFloorClaim Loser);
