using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Floor;

/// <summary>The answer to a floor request.</summary>
public sealed record FloorDecision(byte Channel, string BadgeId, bool Granted, uint BurstId, DenyReason DenyReason,
    int RetryAfterSeconds, FloorEnd? Preempted)
{
    public static FloorDecision Deny(byte channel, string badgeId, DenyReason reason, int retryAfter = 0) =>
        new(channel, badgeId, false, 0, reason, retryAfter, null);
}

/// <summary>A burst that ended, and why.</summary>
public sealed record FloorEnd(byte Channel, string BadgeId, uint BurstId, EndReason Reason);
