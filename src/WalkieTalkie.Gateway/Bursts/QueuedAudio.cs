namespace WalkieTalkie.Gateway.Bursts;

/// <summary>
/// A voice message waiting for, or playing on, its channel's floor: the frames it was cut into under its reserved
/// burst id, and how far it got.
/// </summary>
public sealed class QueuedAudio(byte channel, uint burstId, Talker talker, IReadOnlyList<byte[]> frames, TimeSpan frameDuration)
{
    public byte Channel { get; } = channel;
    public uint BurstId { get; } = burstId;
    public Talker Talker { get; } = talker;
    public IReadOnlyList<byte[]> Frames { get; } = frames;
    public TimeSpan FrameDuration { get; } = frameDuration;
    public TimeSpan Duration => FrameDuration * Frames.Count;
    public int Cursor { get; set; }
    public DateTimeOffset NextDue { get; set; }

    /// <summary>
    /// Set on a message restored after a restart: it waits for a listener who can hear it live (badges come back within
    /// seconds), at most until then, rather than reaching the first of them as a catch-up.
    /// </summary>
    public DateTimeOffset? WaitsForListenerUntil { get; set; }

    /// <summary>The room event of the voice message; null for one restored after a restart (nothing names it to other sites).</summary>
    public string? EventId { get; init; }

    /// <summary>Since when it waits, with the floor free, for the site that owns the room's incoming path to play it (null: not waiting).</summary>
    public DateTimeOffset? HeldForOwnerSince { get; set; }

    /// <summary>This site plays it whoever owns the room's incoming path (the owner's play did not reach here, or never came).</summary>
    public bool PlaysHere { get; set; }
}
