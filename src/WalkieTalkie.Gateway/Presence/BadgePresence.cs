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

    /// <summary>
    /// The badge connected and has sent nothing since: it may not have subscribed to its downlink yet, so what is sent
    /// to it now can be lost (a broker drops it). A burst's start lost so, the badge would get the burst's end alone and
    /// never be owed the burst; it joins the burst when it announces itself instead, from its first frame.
    /// </summary>
    public bool Subscribing { get; set; }

    /// <summary>The badge can hear a live burst now, possibly after a <c>wake</c>.</summary>
    public bool CanHearLive => !Subscribing && State is PresenceState.Idle or PresenceState.Listening or PresenceState.Standby;
}
