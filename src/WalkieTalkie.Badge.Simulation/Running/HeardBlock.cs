using WalkieTalkie.Badge.Audio;

namespace WalkieTalkie.Badge.Simulation;

/// <summary>
/// One block a listening badge handed to its speaker, with the moments that explain its mouth-to-ear latency (run
/// milliseconds, on the fleet's clock). The talker's moments are known only when it is a badge of the same fleet.
/// </summary>
/// <param name="Result">Played from a received frame, concealed or silence.</param>
/// <param name="Sequence">The frame the block came from (-1 unless played).</param>
/// <param name="Block">The block's index in its frame (-1 unless played).</param>
/// <param name="WrittenAtMs">When the badge handed the block to its speaker.</param>
/// <param name="SoundsAtMs">When the speaker began to sound it (later than written by what the speaker still held).</param>
/// <param name="SpokenAtMs">When the talker's microphone heard the block's first sample.</param>
/// <param name="SentAtMs">When the talker published the frame.</param>
/// <param name="ArrivedAtMs">When the frame reached this badge's transport.</param>
public readonly record struct HeardBlock(
    PullResult Result, int Sequence, int Block, double WrittenAtMs, double SoundsAtMs, double? SpokenAtMs, double? SentAtMs, double? ArrivedAtMs)
{
    /// <summary>Mouth to ear: from the talker's microphone to this badge's speaker; null when the talker is not in the fleet.</summary>
    public double? LatencyMs => SpokenAtMs is null ? null : SoundsAtMs - SpokenAtMs.Value;
}
