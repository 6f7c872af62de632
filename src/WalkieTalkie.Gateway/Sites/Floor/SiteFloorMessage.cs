namespace WalkieTalkie.Gateway.Sites.Floor;

/// <summary>
/// A message of the floor across sites, carried by the live link between gateways (wire form: <see cref="SiteFloorWire"/>).
/// Every message names the room (its Matrix room id) and the gateway that sent it.
/// </summary>
public abstract record SiteFloorMessage(string RoomId, string GatewayId);

/// <summary>
/// A gateway granted one of its badges (or a Matrix sender it plays) the room's floor at <paramref name="ClaimTs"/>
/// (its own clock, Unix ms). The burst id is the claiming gateway's; with the gateway id it names the claim.
/// <paramref name="Emergency"/>: the burst is an open emergency's (SOS), which wins over any claim that is not one.
/// </summary>
public sealed record SiteFloorClaim(string RoomId, string GatewayId, uint BurstId, string Talker, string? TalkerName, long ClaimTs,
    bool Emergency = false) : SiteFloorMessage(RoomId, GatewayId)
{
    /// <summary>Names the claim across sites, and orders it (<see cref="ClaimKey"/>).</summary>
    public ClaimKey Key => new(ClaimTs, GatewayId, BurstId, Emergency);
}

/// <summary>Why a claimed burst ended.</summary>
public enum SiteFloorEndReason
{
    /// <summary>The talker let go, or the gateway ended it for its own reasons (talk time, lease, shutdown).</summary>
    Released,

    /// <summary>It lost a collision with an earlier claim of another site and was stopped.</summary>
    Collision,

    /// <summary>Its gateway's link went down (never sent: the side that lost the link decides it).</summary>
    LinkLost,

    /// <summary>
    /// An emergency (SOS) claim of another site preempted it. Sent as <c>collision</c> (it lost to another claim), which
    /// every version reads.
    /// </summary>
    Preempted,
}

/// <summary>A claimed burst ended at <paramref name="EndTs"/> (the sender's clock, Unix ms).</summary>
public sealed record SiteFloorRelease(string RoomId, string GatewayId, uint BurstId, long EndTs, SiteFloorEndReason Reason)
    : SiteFloorMessage(RoomId, GatewayId);

/// <summary>
/// An NTP-style clock probe: the asker sends its <paramref name="OriginTs"/>; the answer echoes it with the time it
/// arrived (<paramref name="ReceiveTs"/>) and left (<paramref name="TransmitTs"/>) on the answering gateway's clock.
/// </summary>
public sealed record SiteClockProbe(string RoomId, string GatewayId, long OriginTs, long? ReceiveTs, long? TransmitTs)
    : SiteFloorMessage(RoomId, GatewayId)
{
    public bool IsAnswer => ReceiveTs is not null && TransmitTs is not null;
}

/// <summary>
/// What a gateway tells a peer that just linked for a room: its claim holding the floor now (if any) and its recent
/// bursts there, so a collision that happened while the two could not reach each other shows in both floor logs.
/// </summary>
public sealed record SiteFloorSync(string RoomId, string GatewayId, SiteFloorClaim? Current, IReadOnlyList<SiteFloorBurst> Recent)
    : SiteFloorMessage(RoomId, GatewayId);

/// <summary>A past burst of the sending gateway in the room: when it claimed and ended (its clock, Unix ms), and whether it was an emergency's.</summary>
public sealed record SiteFloorBurst(uint BurstId, string Talker, long ClaimTs, long EndTs, bool Emergency = false);
