namespace WalkieTalkie.Gateway.Sites.Floor;

/// <summary>
/// The order every gateway applies to crossing claims: the earlier claim timestamp wins, then the lower gateway id
/// (ordinal), then the lower burst id. All sites compare the same three values, so they agree whatever their clocks.
/// </summary>
public readonly record struct ClaimKey(long ClaimTs, string GatewayId, uint BurstId) : IComparable<ClaimKey>
{
    public int CompareTo(ClaimKey other)
    {
        var byTime = ClaimTs.CompareTo(other.ClaimTs);
        if (byTime != 0)
        {
            return byTime;
        }

        var byGateway = string.CompareOrdinal(GatewayId, other.GatewayId);
        return byGateway != 0 ? byGateway : BurstId.CompareTo(other.BurstId);
    }

    public bool Beats(ClaimKey other) => CompareTo(other) < 0;
}
