namespace System.Net.NetworkInformation
{
    /// <summary>A network interface of the device and its IPv4 configuration.</summary>
    public class NetworkInterface
    {
        private NetworkInterface()
        {
        }

        /// <summary>Every interface of the device.</summary>
        public static NetworkInterface[] GetAllNetworkInterfaces() => throw new NotSupportedException();

        /// <summary>Whether any interface has a network.</summary>
        public static bool GetIsNetworkAvailable() => throw new NotSupportedException();

        /// <summary>The interface's IPv4 address as text.</summary>
        public string IPv4Address => throw new NotSupportedException();

        /// <summary>The MAC address.</summary>
        public byte[] PhysicalAddress
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        /// <summary>Kind of interface.</summary>
        public NetworkInterfaceType NetworkInterfaceType => throw new NotSupportedException();

        /// <summary>Switches the interface to DHCP.</summary>
        public void EnableDhcp() => throw new NotSupportedException();
    }
}
