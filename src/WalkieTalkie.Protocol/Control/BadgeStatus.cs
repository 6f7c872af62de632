namespace WalkieTalkie.Protocol.Control
{
    /// <summary>What a badge is doing, as it reports in its retained state (and its last will says Offline).</summary>
    public enum BadgeStatus : byte
    {
        Idle = 1,
        Talking = 2,
        Listening = 3,

        /// <summary>Wi-Fi and MQTT kept, audio path off: a wake arrives within a beacon interval.</summary>
        Standby = 4,

        /// <summary>Deep sleep: only the button or the check-in timer wakes it.</summary>
        Pocket = 5,

        Offline = 6,
    }
}
