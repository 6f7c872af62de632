namespace System.Device.Wifi
{
    /// <summary>One network a scan heard.</summary>
    public class WifiAvailableNetwork
    {
        internal WifiAvailableNetwork()
        {
        }

        /// <summary>The network's name (the native report is 33 bytes, so it may carry trailing NULs).</summary>
        public string Ssid => throw new NotSupportedException();

        /// <summary>The access point's BSSID as text ("aa:bb:cc:dd:ee:ff").</summary>
        public string Bsid => throw new NotSupportedException();

        /// <summary>The signal strength in dBm.</summary>
        public double NetworkRssiInDecibelMilliwatts => throw new NotSupportedException();
    }
}
