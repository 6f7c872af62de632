using System.ComponentModel.DataAnnotations;

namespace WalkieTalkie.Gateway.Sites.Floor;

/// <summary>The floor across sites: clock checks and how much history a reconnect compares.</summary>
public sealed class SiteFloorOptions
{
    public const string Section = "SiteFloor";

    /// <summary>
    /// The largest clock difference to a peer (offset plus the estimate's error) that is taken as fair. Agreement
    /// never depends on clocks; beyond this a peer's claims win or lose races by its skew, so it is flagged.
    /// </summary>
    [Range(1, 60_000)]
    public int MaxSkewMs { get; set; } = 250;

    /// <summary>How often each peer's clock is probed.</summary>
    [Range(1, 3600)]
    public int ClockProbeSeconds { get; set; } = 10;

    /// <summary>
    /// A press refused because another site's claim holds the room is told "collision" rather than "busy" when that
    /// claim reached this gateway less than this before the press: mouth to ear
    /// (about 0.1 s) plus a human's reaction (0.2 to 0.3 s) is the least time in which the badge's wearer could have
    /// heard the other talker before pressing, so the two pressed at the same moment and lost a race, not a turn.
    /// </summary>
    [Range(0, 10_000)]
    public int CollisionWindowMs { get; set; } = 500;

    /// <summary>How long a finished burst is kept to compare with a peer's after a partition.</summary>
    [Range(1, 1440)]
    public int RecentMinutes { get; set; } = 30;

    /// <summary>
    /// How long, with the floor free, a site that does not own a room's incoming path waits for the owner to play a
    /// phone's voice message live before it plays the message itself (the owner's bridge may be behind, or cut from
    /// the homeserver while the link stands).
    /// </summary>
    [Range(1, 3600)]
    public int VoiceMessageOwnerWaitSeconds { get; set; } = 15;
}
