using System.Net;
using System.Net.Sockets;

namespace WalkieTalkie.Gateway.Tests.Sites.Support;

/// <summary>
/// A TCP forwarder on loopback standing for the network between two sites: <see cref="Cut"/> drops every connection and
/// refuses new ones (accepted and closed at once) until <see cref="Restore"/>; <see cref="DropDialerSide"/> drops them
/// for the dialing side only, as a router's restart or a new address at the dialer's house does: the other side hears
/// nothing and keeps its end open.
/// </summary>
public sealed class CuttableProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private readonly List<(TcpClient Inbound, TcpClient Outbound)> _pairs = [];
    private readonly List<TcpClient> _leftOpen = [];
    private readonly Task _accepting;
    private volatile bool _cut;

    public CuttableProxy(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        _accepting = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Cut()
    {
        _cut = true;
        lock (_open)
        {
            foreach (var client in _open)
            {
                client.Dispose();
            }

            _open.Clear();
        }
    }

    public void Restore() => _cut = false;

    /// <summary>Closes the dialer's end of every connection and forwards nothing more on them; the far ends stay open, silent.</summary>
    public void DropDialerSide()
    {
        lock (_open)
        {
            foreach (var (inbound, outbound) in _pairs)
            {
                _open.Remove(outbound);
                _leftOpen.Add(outbound);
                inbound.Dispose();
            }

            _pairs.Clear();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            if (_cut)
            {
                inbound.Dispose();
                continue;
            }

            _ = Task.Run(() => ForwardAsync(inbound));
        }
    }

    private async Task ForwardAsync(TcpClient inbound)
    {
        var outbound = new TcpClient();
        lock (_open)
        {
            _open.Add(inbound);
            _open.Add(outbound);
            _pairs.Add((inbound, outbound));
        }

        try
        {
            await outbound.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
            var a = inbound.GetStream();
            var b = outbound.GetStream();
            await Task.WhenAny(a.CopyToAsync(b, _stop.Token), b.CopyToAsync(a, _stop.Token));
        }
        catch (Exception)
        {
            // the cut, or either side gone
        }
        finally
        {
            lock (_open)
            {
                _pairs.Remove((inbound, outbound));
                inbound.Dispose();
                if (!_leftOpen.Contains(outbound))
                {
                    outbound.Dispose();
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        lock (_open)
        {
            foreach (var client in _leftOpen)
            {
                client.Dispose();
            }
        }
    }
}
