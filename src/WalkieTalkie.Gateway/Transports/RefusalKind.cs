namespace WalkieTalkie.Gateway.Transports;

/// <summary>
/// What was refused. All but logins, connections, floods and a lost floor's late audio count towards disconnecting a
/// badge (<see cref="BadgeRefusals.CountsTowardsBan"/>).
/// </summary>
public enum RefusalKind
{
    /// <summary>A login with a bad id or secret (keyed by address).</summary>
    Login,

    /// <summary>A login refused without checking: too many failures, backing off (keyed by address).</summary>
    Throttled,

    /// <summary>A connection closed before login: too many from one address, or no handshake in time (keyed by address).</summary>
    Connection,

    /// <summary>More than the badge's rate budget: dropped, not held against it otherwise.</summary>
    Flood,

    Publish,
    Subscribe,
    Oversized,
    Malformed,

    /// <summary>
    /// Audio from a badge that does not hold the floor of that burst: often a talker still sending after losing the
    /// floor, so it is only logged (the audio budget bounds it).
    /// </summary>
    NotHolder,

    /// <summary>A message from a badge id the registry does not know (external broker).</summary>
    Unregistered,

    /// <summary>A floor request for a channel that does not exist or the badge is not a member of.</summary>
    FloorRequest,

    PlayRequest,

    /// <summary>A permit accepted or withdrawn that was never offered.</summary>
    Permit,

    /// <summary>An HTTP request for what is not the badge's own (another badge's config).</summary>
    Request,
}
