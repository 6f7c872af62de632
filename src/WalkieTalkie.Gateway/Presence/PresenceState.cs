namespace WalkieTalkie.Gateway.Presence;

/// <summary>What the gateway believes a badge is doing.</summary>
public enum PresenceState
{
    Offline,
    Idle,
    Talking,
    Listening,

    /// <summary>Wi-Fi and MQTT kept, audio off: send <c>wake</c>, then the burst.</summary>
    Standby,

    /// <summary>Deep sleep until a check-in: queue what it misses.</summary>
    Pocket,
}
