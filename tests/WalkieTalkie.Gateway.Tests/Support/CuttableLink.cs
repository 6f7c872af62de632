using System.Net;
using System.Net.Sockets;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>
/// A TCP forwarder on loopback standing for the network between a gateway and its database: <see cref="Cut"/> drops every
/// connection and refuses new ones (accepted and closed at once); <see cref="BlackHole"/> answers nothing and closes nothing. It forwards on threads of its own, not the thread pool:
/// the gateways of a test share the test process's pool, and a forwarder waiting for a pool thread on a loaded machine
/// would delay the gateway's lease renewals behind it (with <c>Sites/Support/CuttableProxy</c>, which forwards on the
/// pool, SharedBridgeTests' gateway a lost its leases before the cut in 2 runs of 8 under load).
/// </summary>
public sealed class CuttableLink : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly List<Socket> _open = [];
    private readonly Thread _accepting;
    private volatile bool _cut;
    private volatile bool _blackHole;
    private int _refused;

    public CuttableLink(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        _accepting = new Thread(AcceptLoop) { IsBackground = true, Name = "cuttable link" };
        _accepting.Start();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Drops every connection and refuses new ones from now on.</summary>
    public void Cut()
    {
        _cut = true;
        lock (_open)
        {
            foreach (var socket in _open)
            {
                socket.Dispose();
            }

            _open.Clear();
        }
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

            if (_blackHole)
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
                if (_cut)
                {
                    throw new SocketException((int)SocketError.ConnectionRefused);
                }

                outbound.Connect(IPAddress.Loopback, _target);
                inbound.NoDelay = true;
                outbound.NoDelay = true;
                lock (_open)
                {
                    if (_cut)
                    {
                        throw new SocketException((int)SocketError.ConnectionRefused);
                    }

                    _open.Add(inbound);
                    _open.Add(outbound);
                }
            }
            catch (SocketException)
            {
                Interlocked.Increment(ref _refused);
                inbound.Dispose();
                outbound.Dispose();
                continue;
            }

            Forward(inbound, outbound);
            Forward(outbound, inbound);
        }
    }

    // One thread per direction; either end closing closes both.
    private void Forward(Socket from, Socket to)
    {
        new Thread(() =>
        {
            var buffer = new byte[16 * 1024];
            try
            {
                int read;
                while ((read = from.Receive(buffer)) > 0)
                {
                    if (!_blackHole)
                    {
                        to.Send(buffer, 0, read, SocketFlags.None);
                    }
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // cut, or either side gone
            }
            finally
            {
                from.Dispose();
                to.Dispose();
            }
        }) { IsBackground = true, Name = "cuttable link forward" }.Start();
    }

    public void Dispose()
    {
        _listener.Stop();
        Cut();
        _accepting.Join();
    }
}
