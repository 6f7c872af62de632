namespace System.Device.Wifi
{
    /// <summary>Whether the station reconnects by itself after losing the access point.</summary>
    public enum WifiReconnectionKind
    {
        /// <summary>Reconnect automatically.</summary>
        Automatic,

        /// <summary>Reconnect only when asked.</summary>
        Manual,
    }
}
