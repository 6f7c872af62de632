namespace WalkieTalkie.Gateway.Sites.Floor;

/// <summary>
/// The order every gateway applies to claims: an emergency (SOS) claim wins over one that is not, whatever their order
/// (a child's SOS never waits for the other house); between two of the same kind the earlier claim timestamp wins, then
/// the lower gateway id (ordinal), then the lower burst id. All sites compare the same values, so they agree whatever
/// their clocks.
/// </summary>
public readonly record struct ClaimKey(long ClaimTs, string GatewayId, uint BurstId, bool Emergency = false) : IComparable<ClaimKey>
{
    public int CompareTo(ClaimKey other)
    {
        if (Emergency != other.Emergency)
        {
            return Emergency ? -1 : 1;
        }

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
