using System.Net;
using System.Net.Sockets;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>
/// A TCP forwarder on loopback to <c>targetPort</c>, on threads of its own, not the thread pool: the gateways of a test
/// share the test process's pool, and a forwarder waiting for a pool thread on a loaded machine would delay the
/// gateway's lease renewals behind it (with <c>Sites/Support/CuttableProxy</c>, which forwards on the pool,
/// SharedBridgeTests' gateway a lost its leases before the cut in 2 runs of 8 under load). Subclasses say which
/// connections are refused or held silent, and how bytes go each way.
/// </summary>
public abstract class LoopbackForwarder : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly string _name;
    private readonly List<Socket> _open = [];
    private readonly Thread _accepting;

    protected LoopbackForwarder(int targetPort, string name)
    {
        _target = targetPort;
        _name = name;
        _listener.Start();
        _accepting = new Thread(AcceptLoop) { IsBackground = true, Name = name };
        _accepting.Start();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>New connections are refused now (accepted and closed at once).</summary>
    protected virtual bool Refuses => false;

    /// <summary>New connections are held open and never answered now.</summary>
    protected virtual bool HoldsSilent => false;

    /// <summary>A connection was refused.</summary>
    protected virtual void OnRefused()
    {
    }

    /// <summary>Moves bytes from one end to the other until either closes (then both are closed).</summary>
    protected abstract void Pump(Socket from, Socket to, bool towardsTarget);

    /// <summary>Closes every connection open now.</summary>
    protected void CloseAll()
    {
        lock (_open)
        {
            foreach (var socket in _open)
            {
                socket.Dispose();
            }

            _open.Clear();
        }
    }

    private void AcceptLoop()
    {
        while (true)
        {
            Socket inbound;
            try
            {
                inbound = _listener.AcceptSocket();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            if (HoldsSilent)
            {
                lock (_open)
                {
                    _open.Add(inbound); // held open, never answered
                }

                continue;
            }

            var outbound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                if (Refuses)
                {
                    throw new SocketException((int)SocketError.ConnectionRefused);
                }

                outbound.Connect(IPAddress.Loopback, _target);
                inbound.NoDelay = true;
                outbound.NoDelay = true;
                lock (_open)
                {
                    if (Refuses)
                    {
                        throw new SocketException((int)SocketError.ConnectionRefused);
                    }

                    _open.Add(inbound);
                    _open.Add(outbound);
                }
            }
            catch (SocketException)
            {
                OnRefused();
                inbound.Dispose();
                outbound.Dispose();
                continue;
            }

            Start(inbound, outbound, towardsTarget: true);
            Start(outbound, inbound, towardsTarget: false);
        }
    }

    // One thread per direction; either end closing closes both.
    private void Start(Socket from, Socket to, bool towardsTarget) => new Thread(() =>
    {
        try
        {
            Pump(from, to, towardsTarget);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or EndOfStreamException)
        {
            // closed, cut, or either side gone
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }) { IsBackground = true, Name = _name + " forward" }.Start();

    public void Dispose()
    {
        _listener.Stop();
        CloseAll();
        _accepting.Join();
        GC.SuppressFinalize(this);
    }
}
