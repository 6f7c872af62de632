using System.Net;
using System.Net.Sockets;

namespace WalkieTalkie.EndToEnd.Tests.Support;

/// <summary>A loopback port for the gateway's embedded broker.</summary>
public static class FreePort
{
    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
