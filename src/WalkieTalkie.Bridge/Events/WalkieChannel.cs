using System.Text.Json.Nodes;

namespace WalkieTalkie.Bridge.Events;

/// <summary>Content of <c>org.matrix.msc4002.channel</c>: what every participant of the channel agrees on.</summary>
/// <param name="Name">The channel's short name, as badges show and speak it.</param>
/// <param name="SampleRate">Live audio rate: 8000 or 16000.</param>
/// <param name="MaxTalkMs">The longest burst.</param>
/// <param name="SessionGapMs">Bursts closer than this belong to one walkie session (a thread).</param>
public sealed record WalkieChannel(string Name, int SampleRate, long MaxTalkMs = WalkieChannel.DefaultMaxTalkMs,
    long SessionGapMs = WalkieChannel.DefaultSessionGapMs)
{
    /// <summary>Default of <c>max_talk_ms</c>.</summary>
    public const long DefaultMaxTalkMs = 30_000;

    /// <summary>Default of <c>session_gap_ms</c>.</summary>
    public const long DefaultSessionGapMs = 300_000;

    /// <summary>Whether the rate is one the badges run (8 or 16 kHz).</summary>
    public static bool IsSupportedRate(long rate) => rate is 8000 or 16000;

    /// <summary>The content to send.</summary>
    public JsonObject ToContent() => new()
    {
        ["name"] = Name,
        ["sample_rate"] = SampleRate,
        ["max_talk_ms"] = MaxTalkMs,
        ["session_gap_ms"] = SessionGapMs,
    };
}
