namespace WalkieTalkie.Bridge.Mirroring;

/// <summary>A change the gateway must apply to its permit table because a valid event in the room is newer.</summary>
/// <param name="BadgeId">The badge concerned.</param>
/// <param name="Channel">The channel.</param>
/// <param name="Sender">Who sent the room event (for the log and the badge's <c>permit-offer</c>).</param>
/// <param name="EventId">The room event, when known.</param>
public abstract record GatewayPermitChange(string BadgeId, string Channel, string Sender, string? EventId);

/// <summary>The badge's consent changed in the room (sent from the badge's own account, e.g. by another gateway or a client holding its login).</summary>
/// <param name="BadgeId">The badge concerned.</param>
/// <param name="Channel">The channel.</param>
/// <param name="Sender">Who sent the room event.</param>
/// <param name="EventId">The room event, when known.</param>
/// <param name="Consent">The new consent; its <c>ChangedAt</c> is the event's timestamp.</param>
public sealed record ConsentChanged(string BadgeId, string Channel, string Sender, string? EventId, GatewayConsent Consent)
    : GatewayPermitChange(BadgeId, Channel, Sender, EventId);

/// <summary>A user with the power to grant changed the badge's permit in the room.</summary>
/// <param name="BadgeId">The badge concerned.</param>
/// <param name="Channel">The channel.</param>
/// <param name="Sender">Who sent the room event.</param>
/// <param name="EventId">The room event, when known.</param>
/// <param name="Grant">The new grant; its <c>ChangedAt</c> is the event's timestamp.</param>
public sealed record GrantChanged(string BadgeId, string Channel, string Sender, string? EventId, GatewayGrant Grant)
    : GatewayPermitChange(BadgeId, Channel, Sender, EventId);
