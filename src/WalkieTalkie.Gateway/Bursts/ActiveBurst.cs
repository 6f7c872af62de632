using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Recording;

namespace WalkieTalkie.Gateway.Bursts;

/// <summary>
/// A burst in progress: its talker, its recorder, every frame received so far (the received payloads themselves,
/// which go unchanged to every live listener and stay for late joiners), and who hears it.
/// </summary>
public sealed class ActiveBurst(byte channel, uint burstId, string talkerId, byte rateCode, int sampleRate, bool priority,
    DateTimeOffset startedAt, BurstRecorder? recorder)
{
    public byte Channel { get; } = channel;
    public uint BurstId { get; } = burstId;
    public string TalkerId { get; } = talkerId;
    public byte RateCode { get; } = rateCode;
    public int SampleRate { get; } = sampleRate;
    public bool Priority { get; } = priority;
    public DateTimeOffset StartedAt { get; } = startedAt;
    /// <summary>The recorder of a live burst; null for a finished recording being streamed.</summary>
    public BurstRecorder? Recorder { get; } = recorder;

    /// <summary>The received frames in order, for late joiners.</summary>
    public List<byte[]> Frames { get; } = [];

    /// <summary>Badges that get each new frame as it arrives.</summary>
    public HashSet<string> LiveListeners { get; } = [];

    /// <summary>Every badge that was given the burst (live, or catching up from its start).</summary>
    public HashSet<string> Reached { get; } = [];

    /// <summary>One frame's duration, known from the first frame.</summary>
    public TimeSpan FrameDuration { get; set; } = TimeSpan.FromMilliseconds(40);

    public bool Ended { get; set; }

    /// <summary>Why it ended (once <see cref="Ended"/>).</summary>
    public WalkieTalkie.Protocol.Control.EndReason EndReason { get; set; } = WalkieTalkie.Protocol.Control.EndReason.Released;

    public ushort FrameCount => (ushort)Math.Min(Frames.Count, ushort.MaxValue);
}
