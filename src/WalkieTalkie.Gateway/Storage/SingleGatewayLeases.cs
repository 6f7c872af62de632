namespace WalkieTalkie.Gateway.Storage;

/// <summary>The leases of a site with one gateway (SQLite): it holds every channel, always.</summary>
public sealed class SingleGatewayLeases : IChannelLeases
{
    public bool HoldsEveryChannel => true;

    public IReadOnlySet<byte> Hold(IReadOnlyCollection<byte> channels, TimeSpan duration) => channels.ToHashSet();

    public void Release()
    {
    }
}
