namespace WalkieTalkie.Badge.Simulation;

/// <summary>One burst a badge played (or began to play).</summary>
public sealed record BurstReport
{
    public uint BurstId { get; init; }

    public byte Channel { get; init; }

    /// <summary>A recording streamed on request (from the unplayed queue), not live.</summary>
    public bool Replay { get; init; }

    /// <summary>Played to its last frame (false: given up, or cut by a lost connection or the end of the run).</summary>
    public bool Complete { get; init; }

    public int FramesReceived { get; init; }

    public int BlocksPlayed { get; init; }

    public int FramesLost { get; init; }

    public int FramesLate { get; init; }

    public int FramesDuplicate { get; init; }

    public int BlocksConcealed { get; init; }

    public int BlocksSilent { get; init; }

    public int Underruns { get; init; }

    /// <summary>Times two blocks were played in the time of one to take back latency an underrun or a stall added.</summary>
    public int BlocksShortened { get; init; }

    /// <summary>Frames received but given up unplayed: they came so far ahead that the jitter window moved past them.</summary>
    public int FramesSkipped { get; init; }

    /// <summary>
    /// Mouth to ear: from the moment the talker's microphone heard a block's first sample to the moment this badge's
    /// speaker began to sound it. Known only when the talker is a virtual badge of the same fleet; null otherwise.
    /// </summary>
    public double? FirstLatencyMs { get; init; }

    public double? MeanLatencyMs { get; init; }

    public double? MaxLatencyMs { get; init; }

    /// <summary>Every block handed to the speaker, in order, with its timestamps: where a burst's latency came from.</summary>
    public IReadOnlyList<HeardBlock> Blocks { get; init; } = [];
}
