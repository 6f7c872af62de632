using WalkieTalkie.Badge.Machine;

namespace WalkieTalkie.Badge.Simulation;

/// <summary>What one badge did during a run.</summary>
public sealed record BadgeSummary
{
    public required string BadgeId { get; init; }

    public BadgeMode FinalMode { get; init; }

    /// <summary>Talk bursts granted.</summary>
    public int BurstsTalked { get; init; }

    public int FramesSent { get; init; }

    public int FramesReceived { get; init; }

    public int FramesLost { get; init; }

    public int FramesLate { get; init; }

    public int FramesDuplicate { get; init; }

    public int BlocksPlayed { get; init; }

    public int BlocksConcealed { get; init; }

    /// <summary>Received messages dropped before the badge saw them (inbox full, too long, wrong topic).</summary>
    public int InboxDropped { get; init; }

    public IReadOnlyList<BurstReport> Bursts { get; init; } = [];

    /// <summary>Floor requests denied or unanswered, and floors revoked.</summary>
    public int Refusals { get; init; }

    /// <summary>Where the speaker's recording was written, if it was.</summary>
    public string? OutputWav { get; init; }
}
