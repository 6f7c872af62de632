using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>
/// Channel leases a test hands out: the gateway holds the channels of <see cref="Held"/> (none at first) and no other, as
/// if another gateway held the rest; the test moves a channel over by changing the set and renewing.
/// </summary>
public sealed class SwitchedLeases : IChannelLeases
{
    private IReadOnlySet<byte> _held = new HashSet<byte>();

    public IReadOnlySet<byte> Held
    {
        get => Volatile.Read(ref _held);
        set => Volatile.Write(ref _held, value);
    }

    public IReadOnlySet<byte> Hold(IReadOnlyCollection<byte> channels, TimeSpan duration) => channels.Where(Held.Contains).ToHashSet();

    public bool HoldBridge(TimeSpan duration) => false;

    public void Release()
    {
    }
}
