namespace WalkieTalkie.Gateway.Sites.Floor;

/// <summary>What the <see cref="SiteFloorArbiter"/> asks its owner to do, in the order it decided.</summary>
public abstract record SiteFloorOutput;

/// <summary>Send a floor message to a peer over the live link.</summary>
public sealed record SendToPeer(string PeerGatewayId, SiteFloorMessage Message) : SiteFloorOutput;

/// <summary>
/// This site's burst lost to a claim of another site: stop it now. <paramref name="Preempted"/>: the winner is an
/// emergency (SOS) and this burst is not, so it ends as a local emergency preemption ends one (its talker is told it
/// was preempted); otherwise it lost a collision to an earlier claim (its talker hears the collision tone). Its
/// release has already been sent to the peers.
/// </summary>
public sealed record StopLocal(string RoomId, uint BurstId, SiteFloorClaim Winner, bool Preempted = false) : SiteFloorOutput;

/// <summary>A remote claim holds the room's floor at this site now: play its burst, refuse local requests.</summary>
public sealed record RemoteHolds(string RoomId, SiteFloorClaim Claim) : SiteFloorOutput;

/// <summary>A remote claim no longer holds the room's floor here (released, lost, superseded or its peer gone).</summary>
public sealed record RemoteEnded(string RoomId, SiteFloorClaim Claim, SiteFloorEndReason Reason) : SiteFloorOutput;

/// <summary>
/// Two claims crossed: <paramref name="Winner"/> kept the floor, <paramref name="Loser"/> was stopped (live) or had
/// talked over it unknowingly (<paramref name="DuringPartition"/>: found when the sites saw each other's bursts).
/// </summary>
public sealed record SiteCollision(string RoomId, SiteFloorParty Winner, SiteFloorParty Loser, bool DuringPartition) : SiteFloorOutput;

/// <summary>One side of a collision: the gateway, its burst, the talker, when it claimed (that gateway's clock), and whether it was an emergency's.</summary>
public sealed record SiteFloorParty(string GatewayId, uint BurstId, string Talker, long ClaimTs, bool Emergency = false);

/// <summary>
/// The clock of a peer was measured: its offset from this gateway's clock and the error of that estimate (half
/// the round trip); <paramref name="WithinBound"/> is false when offset plus error exceed the configured bound.
/// </summary>
public sealed record PeerClock(string PeerGatewayId, long OffsetMs, long ErrorMs, bool WithinBound) : SiteFloorOutput;
