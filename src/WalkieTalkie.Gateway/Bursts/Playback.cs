namespace WalkieTalkie.Gateway.Bursts;

/// <summary>
/// One badge being streamed frames from a list at a pace: a late joiner catching up with a live burst (then handed
/// over to live delivery), or a recording asked for with <c>play-request</c>.
/// </summary>
public sealed class Playback(string badgeId, byte channel, uint burstId, IReadOnlyList<byte[]> frames, ActiveBurst? live,
    TimeSpan interval, DateTimeOffset start)
{
    public string BadgeId { get; } = badgeId;
    public byte Channel { get; } = channel;
    public uint BurstId { get; } = burstId;

    /// <summary>The frames to stream; for a live burst, its growing list of received frames.</summary>
    public IReadOnlyList<byte[]> Frames { get; } = frames;

    /// <summary>The live burst being caught up with, or null when streaming a finished recording.</summary>
    public ActiveBurst? Live { get; } = live;

    /// <summary>One frame's duration: after the lead, frames go out in real time.</summary>
    public TimeSpan Interval { get; } = interval;
    public int Cursor { get; set; }
    public DateTimeOffset NextDue { get; set; } = start;
}
