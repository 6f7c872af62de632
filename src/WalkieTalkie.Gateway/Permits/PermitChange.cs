using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Permits;

/// <summary>Permits in force for a badge on a channel changed: some were lost (and why), some gained.</summary>
public sealed record PermitChange(string BadgeId, byte Channel, byte Lost, byte Gained, RevokeReason Reason);
