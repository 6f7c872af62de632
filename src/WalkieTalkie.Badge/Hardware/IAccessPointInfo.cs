namespace WalkieTalkie.Badge.Hardware
{
    /// <summary>The Wi-Fi access point the badge is connected to, as the firmware last measured it (the signal is the transport's RSSI).</summary>
    public interface IAccessPointInfo
    {
        /// <summary>Copies the access point's six-byte BSSID into <paramref name="into"/>; false while it is not known.</summary>
        bool TryGetBssid(byte[] into);
    }
}
