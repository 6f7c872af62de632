namespace WalkieTalkie.Gateway.Floor;

/// <summary>Who holds a channel's floor, since when, and when a frame of theirs last arrived.</summary>
public sealed class FloorHold(byte channel, string badgeId, uint burstId, bool priority, DateTimeOffset since, DateTimeOffset deadline)
{
    public byte Channel { get; } = channel;
    public string BadgeId { get; } = badgeId;
    public uint BurstId { get; } = burstId;
    public bool Priority { get; } = priority;
    public DateTimeOffset Since { get; } = since;

    /// <summary>When the maximum talk time runs out (the turn's talk time before this burst counted).</summary>
    public DateTimeOffset Deadline { get; } = deadline;

    /// <summary>The last frame's arrival; null until the first frame.</summary>
    public DateTimeOffset? LastFrame { get; set; }

    /// <summary>Talk time of the holder's turn before this burst (quick re-requests add up).</summary>
    public TimeSpan TalkedBefore { get; init; }

    /// <summary>An open emergency's (SOS) burst: nobody, a priority talker included, may cut it.</summary>
    public bool Sos { get; init; }

    /// <summary>Someone else was denied this channel while it was held: they go first after it.</summary>
    public bool OthersWaited { get; set; }
}
