namespace WalkieTalkie.Badge.Simulation;

/// <summary>What every badge of a run did.</summary>
public sealed record FleetSummary(IReadOnlyList<BadgeSummary> Badges, double Seconds)
{
    public BadgeSummary this[string badgeId] => Badges.Single(b => b.BadgeId == badgeId);
}
