using System;
using System.Device.Wifi;
using System.Threading;

namespace nanoFramework.Networking
{
    /// <summary>
    /// Brings Wi-Fi up and waits for an address (and, when asked, the time). ConnectDhcp stores the network in
    /// flash on every call: after a deep-sleep wake use <see cref="Reconnect"/> instead.
    /// </summary>
    public static class WifiNetworkHelper
    {
        /// <summary>Set when the network is ready.</summary>
        public static ManualResetEvent NetworkReady => throw new NotSupportedException();

        /// <summary>Where the helper is.</summary>
        public static NetworkHelperStatus Status => throw new NotSupportedException();

        /// <summary>The exception behind <see cref="NetworkHelperStatus.ExceptionOccurred"/>.</summary>
        public static Exception HelperException => throw new NotSupportedException();

        /// <summary>Connects to the network with DHCP and waits until ready or the token expires.</summary>
        public static bool ConnectDhcp(string ssid, string password, WifiReconnectionKind reconnectionKind = WifiReconnectionKind.Automatic, bool requiresDateTime = false, int wifiAdapterId = 0, CancellationToken token = default) => throw new NotSupportedException();

        /// <summary>Reconnects to the stored network and waits until ready or the token expires.</summary>
        public static bool Reconnect(bool requiresDateTime = false, int wifiAdapterId = 0, CancellationToken token = default) => throw new NotSupportedException();

        /// <summary>Disconnects.</summary>
        public static void Disconnect() => throw new NotSupportedException();

        /// <summary>Forgets the helper's state.</summary>
        public static void Reset() => throw new NotSupportedException();
    }
}
