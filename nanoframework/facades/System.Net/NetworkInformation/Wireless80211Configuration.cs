namespace System.Net.NetworkInformation
{
    /// <summary>A stored Wi-Fi station configuration (written by nanoff --networkdeployment at provisioning).</summary>
    public class Wireless80211Configuration
    {
        /// <summary>A configuration block by id.</summary>
        public Wireless80211Configuration(uint id) => throw new NotSupportedException();

        /// <summary>The network name.</summary>
        public string Ssid
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        /// <summary>Every stored configuration.</summary>
        public static Wireless80211Configuration[] GetAllWireless80211Configurations() => throw new NotSupportedException();
    }
}
