namespace WalkieTalkie.Gateway.Engine;

/// <summary>
/// An emergency (SOS) as observers see it: whose, since when, on which channels, the badge's last battery level
/// (255: unknown) and its zone ("" when zones are off or its access point is in none).
/// </summary>
public sealed record EmergencyInfo(string BadgeId, DateTimeOffset OpenedAt, IReadOnlyList<byte> Channels, int BatteryPercent, string Zone);
