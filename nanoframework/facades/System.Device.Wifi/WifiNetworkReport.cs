namespace System.Device.Wifi
{
    /// <summary>What a scan found.</summary>
    public class WifiNetworkReport
    {
        internal WifiNetworkReport()
        {
        }

        /// <summary>The networks heard.</summary>
        public WifiAvailableNetwork[] AvailableNetworks => throw new NotSupportedException();
    }
}
