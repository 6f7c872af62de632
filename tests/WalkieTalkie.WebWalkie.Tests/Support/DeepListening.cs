using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Simulation;

namespace WalkieTalkie.WebWalkie.Tests.Support;

/// <summary>
/// Listeners that ride out the stalls of a loaded test machine (a page or a badge held up for half a second at a load
/// average of 30 on 2 cores). Audio held up longer than the jitter buffer is lost or concealed and shifts the rest of
/// the burst in time, which a single-lag correlation punishes (0.18 and 0.59 were seen with the badge's own 2 frames
/// and 8 slots); latency trim moves it in time the same way. So: about half a second of prefill, no trim.
/// </summary>
public static class DeepListening
{
    /// <summary>Frames of prefill: half a second of 40 ms frames at 8 kHz, as the end-to-end tests use.</summary>
    public static int PrefillFrames(int rate) => rate / (2 * 321) + 1;

    /// <summary>The web walkie's address asking for that depth (<c>?listen=</c>, Walkie/ListenDepth).</summary>
    public static string PageUrl(string gatewayUrl, int rate) => $"{gatewayUrl}?listen={PrefillFrames(rate)}";

    /// <summary>A virtual badge's tunables for the same depth.</summary>
    public static BadgeOptions BadgeTunables(int rate)
    {
        var tunables = VirtualBadgeSettings.DefaultTunables();
        tunables.JitterPrefill = PrefillFrames(rate);
        tunables.JitterSlots = 2 * tunables.JitterPrefill + 8;
        tunables.InboxSlots = 64;
        tunables.LatencyTrimWindowMilliseconds = 0;
        return tunables;
    }
}
