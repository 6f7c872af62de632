namespace WalkieTalkie.Media.Opus;

/// <summary>How bursts are encoded to Opus. The defaults follow what Element Web records (VOIP, 24 kbps, 20 ms).</summary>
public sealed record OpusEncoderSettings
{
    /// <summary>Target bitrate in bits per second (VBR).</summary>
    public int Bitrate { get; init; } = 24000;

    /// <summary>Encoder complexity, 0..10: time against quality.</summary>
    public int Complexity { get; init; } = 5;

    /// <summary>Packets (20 ms each) per Ogg page: 50 is one second a page.</summary>
    public int PacketsPerPage { get; init; } = 50;

    /// <summary>The vendor string of the OpusTags header.</summary>
    public string Vendor { get; init; } = "WalkieTalkie gateway (Concentus, managed)";

    /// <summary>Milliseconds per Opus frame. Fixed: 20 ms is what voice clients use and the best size for speech.</summary>
    public const int FrameMilliseconds = 20;
}
