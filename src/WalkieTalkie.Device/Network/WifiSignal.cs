using System.Device.Wifi;
using System.Net.NetworkInformation;
using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Device.Network
{
    /// <summary>
    /// The received signal strength of the badge's own network. nanoFramework exposes RSSI only through a scan
    /// report, so a scan is started now and then while the badge is idle (a scan leaves the channel briefly: never
    /// while audio flows) and the report's entry for the provisioned SSID is kept.
    /// </summary>
    public sealed class WifiSignal : IAccessPointInfo
    {
        private readonly WifiAdapter _adapter;
        private readonly string _ssid;
        // Written by the scan event thread, read by the badge thread: a single int store, no lock needed
        // (mscorlib 1.17 has no volatile modifier support: IsVolatile is missing).
        private int _rssi;

        // The strongest access point of the network, replaced whole by the scan thread (a reference store is atomic).
        private byte[] _bssid;

        public WifiSignal()
        {
            var adapters = WifiAdapter.FindAllAdapters();
            _adapter = adapters.Length > 0 ? adapters[0] : null;
            var stored = Wireless80211Configuration.GetAllWireless80211Configurations();
            _ssid = stored.Length > 0 ? stored[0].Ssid : null;
            if (_adapter != null)
            {
                _adapter.AvailableNetworksChanged += OnScanDone;
            }
        }

        /// <summary>The last measured signal in dBm (negative), 0 while unknown.</summary>
        public int Rssi
        {
            get { return _rssi; }
        }

        /// <summary>The BSSID of the strongest access point of the badge's network in the last scan.</summary>
        public bool TryGetBssid(byte[] into)
        {
            var bssid = _bssid;
            if (bssid == null)
            {
                return false;
            }

            for (var i = 0; i < BssidFormat.Length; i++)
            {
                into[i] = bssid[i];
            }

            return true;
        }

        /// <summary>Starts a scan; the result arrives on the event thread.</summary>
        public void Measure()
        {
            if (_adapter == null || _ssid == null)
            {
                return;
            }

            try
            {
                _adapter.ScanAsync();
            }
            catch (System.Exception)
            {
                // Busy connecting or not started: the next measurement will do.
            }
        }

        private void OnScanDone(WifiAdapter sender, object e)
        {
            var networks = sender.NetworkReport.AvailableNetworks;
            var best = 0;
            string bestBssid = null;
            for (var i = 0; i < networks.Length; i++)
            {
                // The native report pads the name to 33 bytes with NULs.
                var name = networks[i].Ssid;
                var end = name.IndexOf('\0');
                if ((end < 0 ? name : name.Substring(0, end)) != _ssid)
                {
                    continue;
                }

                var rssi = (int)networks[i].NetworkRssiInDecibelMilliwatts;
                if (best == 0 || rssi > best)
                {
                    best = rssi;
                    bestBssid = networks[i].Bsid;
                }
            }

            _rssi = best > 0 ? 0 : best;
            var bssid = new byte[BssidFormat.Length];
            if (bestBssid != null && BssidFormat.TryParse(bestBssid, bssid))
            {
                _bssid = bssid;
            }
        }
    }
}
