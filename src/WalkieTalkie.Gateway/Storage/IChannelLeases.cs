namespace WalkieTalkie.Gateway.Storage;

/// <summary>
/// Which gateway serves which channel when several share one database: each channel is leased to one gateway at a
/// time, for a while, and the holder renews its leases well before they run out. A gateway that dies stops renewing,
/// so its channels are free to take once its leases expire. Calls do I/O: <see cref="ChannelOwnership"/> makes them
/// off the engine's loop.
/// </summary>
public interface IChannelLeases
{
    /// <summary>
    /// Takes or renews, for <paramref name="duration"/> from now, every channel of <paramref name="channels"/> that
    /// no other gateway holds (free, or its lease expired) or that this gateway holds already; returns those held now.
    /// </summary>
    IReadOnlySet<byte> Hold(IReadOnlyCollection<byte> channels, TimeSpan duration);

    /// <summary>
    /// True where this gateway is the site's only one and holds every channel without asking (SQLite): then nothing
    /// needs renewing and nothing is ever lost.
    /// </summary>
    bool HoldsEveryChannel => false;

    /// <summary>
    /// Takes or renews, for <paramref name="duration"/> from now, the Matrix bridge's own lease (one for the site: the
    /// bridge drives every linked badge's Matrix device, which must never run on two gateways at once) when no other
    /// gateway holds it; returns whether this gateway holds it now. Asked only after <see cref="Hold"/> held this
    /// gateway's id. True without asking when alone (<see cref="HoldsEveryChannel"/>).
    /// </summary>
    bool HoldBridge(TimeSpan duration) => HoldsEveryChannel;

    /// <summary>Lets go of every lease this gateway holds (a clean stop), so another one takes its channels at its next renewal.</summary>
    void Release();
}
