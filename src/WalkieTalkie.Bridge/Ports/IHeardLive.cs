namespace WalkieTalkie.Bridge.Ports;

/// <summary>
/// The bursts of other gateways of the room that this gateway's badges already heard live over the site link: their
/// voice messages, when they arrive from the room, are not played again.
/// </summary>
public interface IHeardLive
{
    /// <summary>Whether the badges here heard burst <paramref name="burstId"/> of gateway <paramref name="gatewayId"/> live.</summary>
    bool WasHeardLive(string gatewayId, uint burstId);
}
