using System.Threading;
using nanoFramework.Networking;
using WalkieTalkie.Device.Diagnostics;

namespace WalkieTalkie.Device.Network
{
    /// <summary>
    /// Wi-Fi with the network provisioning stored in the device's configuration block (nanoff --networkdeployment):
    /// no SSID or password in code. Reconnect, not ConnectDhcp: ConnectDhcp writes the flash on every call, which a
    /// badge waking every few minutes must not do. The time is waited for, because the broker's certificate is checked
    /// against the clock.
    /// </summary>
    public sealed class WifiLink
    {
        private readonly SerialLog _log;

        public WifiLink(SerialLog log)
        {
            _log = log;
        }

        /// <summary>Brings the stored network up and waits for an address and the time, at most <paramref name="timeoutMilliseconds"/>.</summary>
        public bool Connect(int timeoutMilliseconds)
        {
            var source = new CancellationTokenSource(timeoutMilliseconds);
            var ready = WifiNetworkHelper.Reconnect(true, 0, source.Token);
            if (!ready)
            {
                var problem = WifiNetworkHelper.HelperException;
                _log.Line("wifi: not ready, status " + (int)WifiNetworkHelper.Status + (problem == null ? string.Empty : ", " + problem.Message));
            }

            return ready;
        }
    }
}
