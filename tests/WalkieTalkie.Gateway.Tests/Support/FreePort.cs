using System.Net;
using System.Net.Sockets;

namespace WalkieTalkie.Gateway.Tests.Support;

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

    public static async Task<bool> WaitListeningAsync(int port, int timeoutMs = 10000)
    {
        return await Eventually.TrueAsync(() =>
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, timeoutMs);
    }
}
