namespace System.Device.Wifi
{
    /// <summary>Raised when a scan completes.</summary>
    public delegate void AvailableNetworksChangedEventHandler(WifiAdapter sender, object e);

    /// <summary>A Wi-Fi adapter: scans and connects.</summary>
    public sealed class WifiAdapter : IDisposable
    {
        internal WifiAdapter()
        {
        }

        /// <summary>Raised when <see cref="ScanAsync"/> has finished; read <see cref="NetworkReport"/> then.</summary>
        public event AvailableNetworksChangedEventHandler AvailableNetworksChanged
        {
            add { }
            remove { }
        }

        /// <summary>The networks the last scan found.</summary>
        public WifiNetworkReport NetworkReport => throw new NotSupportedException();

        /// <summary>The system's Wi-Fi adapters.</summary>
        public static WifiAdapter[] FindAllAdapters() => throw new NotSupportedException();

        /// <summary>Starts a scan (also while connected).</summary>
        public void ScanAsync() => throw new NotSupportedException();

        /// <summary>Releases the adapter.</summary>
        public void Dispose()
        {
        }
    }
}
