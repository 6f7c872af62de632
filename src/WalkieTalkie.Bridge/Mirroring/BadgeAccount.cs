using WalkieTalkie.Bridge.Events;

namespace WalkieTalkie.Bridge.Mirroring;

/// <summary>A badge and the Matrix device the gateway runs for it (its own account, keys held by the gateway).</summary>
/// <param name="BadgeId">The badge's id on MQTT.</param>
/// <param name="Device">Its Matrix user and device.</param>
public sealed record BadgeAccount(string BadgeId, DeviceKey Device);
