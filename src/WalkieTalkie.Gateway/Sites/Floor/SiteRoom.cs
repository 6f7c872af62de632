namespace WalkieTalkie.Gateway.Sites.Floor;

/// <summary>What the arbiter knows of one room: its peers, this site's claim, the live remote claims, what plays here.</summary>
internal sealed class SiteRoom(string roomId)
{
    public string RoomId { get; } = roomId;

    /// <summary>The peers linked now.</summary>
    public HashSet<string> Linked { get; } = new(StringComparer.Ordinal);

    /// <summary>Every peer that was ever linked here: while one of them is away, this site's bursts are kept to compare.</summary>
    public HashSet<string> Known { get; } = new(StringComparer.Ordinal);

    /// <summary>This site's claim holding the floor, and the peers that were linked when it was made.</summary>
    public LocalClaim? Local { get; set; }

    /// <summary>Remote claims not yet released and not already beaten by this site's claim.</summary>
    public List<SiteFloorClaim> Remote { get; } = [];

    /// <summary>When each claim of <see cref="Remote"/> reached this gateway (its clock, Unix ms).</summary>
    public Dictionary<SiteFloorClaim, long> ArrivedAt { get; } = [];

    /// <summary>The remote claim this site plays now (the earliest live one, while this site holds nothing).</summary>
    public SiteFloorClaim? Shown { get; set; }

    /// <summary>This site's finished bursts made while a known peer was away, newest last.</summary>
    public List<LocalClaim> Recent { get; } = [];

    /// <summary>Collisions already reported, by the two claims' keys, so a reconnect does not report them again.</summary>
    public HashSet<(ClaimKey, ClaimKey)> Reported { get; } = [];

    public SiteFloorClaim? RemoteClaim(string gatewayId, uint burstId) =>
        Remote.Find(c => c.GatewayId == gatewayId && c.BurstId == burstId);
}

/// <summary>A claim of this site: the claim, the peers that heard it when it was made, when it ended (Unix ms).</summary>
internal sealed class LocalClaim(SiteFloorClaim claim, string[] linkedAtClaim)
{
    public SiteFloorClaim Claim { get; } = claim;

    public string[] LinkedAtClaim { get; } = linkedAtClaim;

    public long EndTs { get; set; } = long.MaxValue;
}
