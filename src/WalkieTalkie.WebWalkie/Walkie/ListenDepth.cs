using WalkieTalkie.Badge.Machine;

namespace WalkieTalkie.WebWalkie.Walkie;

/// <summary>
/// A deeper jitter buffer for a listener who prefers steady sound to low latency: a phone on a poor network, or a
/// browser on a machine so loaded that its page stalls for half a second (the headless tests). The page's address
/// asks for it (<c>?listen=</c> frames to wait for before playing); the badge's own defaults (2 frames, latency
/// trimmed back) stay for everyone else.
/// </summary>
public sealed class ListenDepth
{
    public const int MaxPrefillFrames = 25;

    private ListenDepth(int prefillFrames)
    {
        PrefillFrames = prefillFrames;
    }

    /// <summary>Frames the jitter buffer waits for before a burst starts playing.</summary>
    public int PrefillFrames { get; }

    /// <summary>The depth the query value asks for, or null when it is absent or not a number of frames in 1..25.</summary>
    public static ListenDepth? Parse(string? query) =>
        int.TryParse(query, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var frames)
        && frames is >= 1 and <= MaxPrefillFrames
            ? new ListenDepth(frames)
            : null;

    public void ApplyTo(BadgeOptions options)
    {
        options.JitterPrefill = PrefillFrames;
        // Room for what arrives at once after a stall as long as the prefill, and for the prefill itself.
        options.JitterSlots = 2 * PrefillFrames + 8;
        options.InboxSlots = 2 * PrefillFrames + 16;
        // No latency trim: it plays blocks shorter to take back what a stall added, and a listener who asked for depth
        // wants it kept.
        options.LatencyTrimWindowMilliseconds = 0;
    }
}
