using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>
/// One site's channel leases in memory, as the database hands them out: a channel goes to the first gateway that asks
/// while nobody holds it, and stays its own until it lets go (a clean stop). Leases never run out here.
/// </summary>
public sealed class HandOverLeases
{
    private readonly Dictionary<byte, string> _owners = new();

    /// <summary>Gateway <paramref name="gatewayId"/>'s view of the site's leases.</summary>
    public IChannelLeases For(string gatewayId) => new View(this, gatewayId);

    public string? OwnerOf(byte channel)
    {
        lock (_owners)
        {
            return _owners.GetValueOrDefault(channel);
        }
    }

    private sealed class View(HandOverLeases site, string gatewayId) : IChannelLeases
    {
        public IReadOnlySet<byte> Hold(IReadOnlyCollection<byte> channels, TimeSpan duration)
        {
            lock (site._owners)
            {
                var held = new HashSet<byte>();
                foreach (var channel in channels)
                {
                    if (site._owners.TryAdd(channel, gatewayId) || site._owners[channel] == gatewayId)
                    {
                        held.Add(channel);
                    }
                }

                return held;
            }
        }

        public bool HoldBridge(TimeSpan duration) => false;

        public void Release()
        {
            lock (site._owners)
            {
                foreach (var channel in site._owners.Where(o => o.Value == gatewayId).Select(o => o.Key).ToArray())
                {
                    site._owners.Remove(channel);
                }
            }
        }
    }
}
