namespace System.Net.NetworkInformation
{
    /// <summary>Kind of network interface.</summary>
    public enum NetworkInterfaceType
    {
        /// <summary>Unknown.</summary>
        Unknown = 1,

        /// <summary>Ethernet.</summary>
        Ethernet = 6,

        /// <summary>Wi-Fi station.</summary>
        Wireless80211 = 71,
    }
}
