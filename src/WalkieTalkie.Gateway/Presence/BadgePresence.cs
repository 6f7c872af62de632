namespace WalkieTalkie.Gateway.Presence;

/// <summary>One badge's presence.</summary>
public sealed class BadgePresence(string badgeId)
{
    public string BadgeId { get; } = badgeId;
    public PresenceState State { get; set; } = PresenceState.Offline;

    /// <summary>For pocket: when the badge said it will check in next (null: not planned).</summary>
    public DateTimeOffset? PocketUntil { get; set; }

    public DateTimeOffset LastSeen { get; set; }
    public int BatteryPercent { get; set; } = 255;
    public int Rssi { get; set; }
    public string Firmware { get; set; } = "";

    /// <summary>The badge announced its state since it last connected (it is subscribed and listening by then).</summary>
    public bool Announced { get; set; }

    /// <summary>The badge can hear a live burst now, possibly after a <c>wake</c>.</summary>
    public bool CanHearLive => State is PresenceState.Idle or PresenceState.Listening or PresenceState.Standby;
}
