using System.Net.Sockets;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>
/// A TCP forwarder on loopback standing for the network between a gateway and its database: <see cref="Cut"/> drops every
/// connection and refuses new ones (accepted and closed at once); <see cref="BlackHole"/> answers nothing and closes
/// nothing. On threads of its own (<see cref="LoopbackForwarder"/>).
/// </summary>
public sealed class CuttableLink(int targetPort) : LoopbackForwarder(targetPort, "cuttable link")
{
    private volatile bool _cut;
    private volatile bool _blackHole;
    private int _refused;

    /// <summary>Drops every connection and refuses new ones from now on.</summary>
    public void Cut()
    {
        _cut = true;
        CloseAll();
    }

    /// <summary>Lets new connections through again after <see cref="Cut"/>, as a network that came back.</summary>
    public void Restore() => _cut = false;

    /// <summary>How many connections were refused while cut (a client's attempts to connect again).</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>
    /// Drops every byte from now on, both ways, without closing anything: new connections are accepted (as by a
    /// firewall's half-open path) and never answered, open ones go silent, as a network that drops packets.
    /// </summary>
    public void BlackHole() => _blackHole = true;

    protected override bool Refuses => _cut;

    protected override bool HoldsSilent => _blackHole;

    protected override void OnRefused() => Interlocked.Increment(ref _refused);

    protected override void Pump(Socket from, Socket to, bool towardsTarget)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = from.Receive(buffer)) > 0)
        {
            if (!_blackHole)
            {
                to.Send(buffer, 0, read, SocketFlags.None);
            }
        }
    }
}
