using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Bursts;

/// <summary>
/// A burst in progress: its talker, its recording, every frame received so far (the received payloads themselves,
/// which go unchanged to every live listener and stay for late joiners), and who hears it. Owned by the engine's loop.
/// </summary>
public sealed class ActiveBurst(byte channel, uint burstId, Talker talker, byte rateCode, int sampleRate, bool priority,
    DateTimeOffset startedAt, BurstRecording? recording)
{
    public byte Channel { get; } = channel;
    public uint BurstId { get; } = burstId;
    public Talker Talker { get; } = talker;
    public byte RateCode { get; } = rateCode;
    public int SampleRate { get; } = sampleRate;
    public bool Priority { get; } = priority;
    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>The recording of a live burst; null for a finished recording being streamed.</summary>
    public BurstRecording? Recording { get; } = recording;

    /// <summary>The room event of a voice message from Matrix (played here, or live from another site); null otherwise.</summary>
    public string? EventId { get; init; }

    /// <summary>A burst being received now (not a recording played back): recorded here, or relayed from its talker's site.</summary>
    public bool IsLive => Recording is not null || Talker.IsRemote;

    /// <summary>The burst's block length, fixed by its first frame (0 before).</summary>
    public int BlockBytes { get; set; }

    /// <summary>The received frames in order, for late joiners.</summary>
    public List<byte[]> Frames { get; } = [];

    /// <summary>Badges that get each new frame as it arrives.</summary>
    public HashSet<string> LiveListeners { get; } = [];

    /// <summary>Every badge that was given the burst (live, or catching up from its start).</summary>
    public HashSet<string> Reached { get; } = [];

    /// <summary>One frame's duration, known from the first frame.</summary>
    public TimeSpan FrameDuration { get; set; } = TimeSpan.FromMilliseconds(40);

    /// <summary>An open emergency's (SOS) burst: always heard, through quiet hours and do-not-disturb.</summary>
    public bool Sos { get; init; }

    /// <summary>A copy of an emergency burst on another of the talker's channels (its end is not the talker's to hear).</summary>
    public bool IsMirror { get; init; }

    /// <summary>
    /// The same emergency burst on the talker's other channels: each of its frames goes to them too, re-addressed,
    /// and they end with it.
    /// </summary>
    public List<ActiveBurst> Mirrors { get; } = [];

    /// <summary>Heard through quiet hours and do-not-disturb: a priority talker's, or an emergency's.</summary>
    public bool AlwaysHeard => Priority || Sos;

    public bool Ended { get; set; }

    /// <summary>Why it ended (once <see cref="Ended"/>).</summary>
    public EndReason EndReason { get; set; } = EndReason.Released;

    /// <summary>The one badge a private reply is for; null for a channel burst.</summary>
    public string? PrivateTo { get; init; }

    /// <summary>When a private reply's talk time runs out (a channel burst's is its floor's).</summary>
    public DateTimeOffset Deadline { get; init; }

    /// <summary>The last frame's arrival of a private reply (null before its first; a channel burst's is its floor's).</summary>
    public DateTimeOffset? LastFrameAt { get; set; }

    public ushort FrameCount => (ushort)Math.Min(Frames.Count, ushort.MaxValue);
}
