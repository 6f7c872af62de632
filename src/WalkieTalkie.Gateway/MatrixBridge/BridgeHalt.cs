namespace WalkieTalkie.Gateway.MatrixBridge;

/// <summary>
/// What the lease's watch (<see cref="LeaseEndWatch"/>) throws to halt one run of the bridge at once, whether it is
/// running or still starting: <see cref="MatrixBridgeHost.StartAsync"/> attaches its host as soon as it is made, and a
/// host attached after the halt is halted then. A direct call, made before the bridge's token is cancelled, rather than
/// a callback of that token: the token's callbacks run last-registered first, so a halt registered before the bridge
/// started would run after every callback the bridge's own waits registered since, and whatever they run inline.
/// </summary>
public sealed class BridgeHalt
{
    private readonly Lock _lock = new();
    private MatrixBridgeHost? _host;
    private bool _halted;

    /// <summary>Halts <paramref name="host"/> whenever the halt is thrown (at once if it was already).</summary>
    public void Attach(MatrixBridgeHost host)
    {
        bool halted;
        lock (_lock)
        {
            _host = host;
            halted = _halted;
        }

        if (halted)
        {
            host.Halt();
        }
    }

    /// <summary>Halts the attached host (<see cref="MatrixBridgeHost.Halt"/>) on the calling thread, and any attached later.</summary>
    public void Halt()
    {
        MatrixBridgeHost? host;
        lock (_lock)
        {
            _halted = true;
            host = _host;
        }

        host?.Halt();
    }
}
