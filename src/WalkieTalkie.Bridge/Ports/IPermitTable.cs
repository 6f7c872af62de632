using WalkieTalkie.Bridge.Mirroring;

namespace WalkieTalkie.Bridge.Ports;

/// <summary>The gateway's badges and permit table.</summary>
public interface IPermitTable
{
    /// <summary>The badges of the channel that have a Matrix device.</summary>
    IReadOnlyList<BadgeAccount> BadgesOf(string channel);

    /// <summary>The permit rows of the channel.</summary>
    IReadOnlyList<GatewayPermit> RowsOf(string channel);

    /// <summary>Applies a change that came from the room (the gateway then tells the badge: <c>permit-offer</c>, <c>permit-revoked</c>, <c>config</c>).</summary>
    void Apply(GatewayPermitChange change);
}
