using WalkieTalkie.Bridge.Events;

namespace WalkieTalkie.Bridge.Mirroring;

/// <summary>
/// One row of the gateway's permit table, as the bridge sees it: a badge on a channel, the wearer's consent and
/// the grant, each with the moment it last changed on the gateway (so the newer side wins when mirroring).
/// </summary>
/// <param name="BadgeId">The badge's id on MQTT.</param>
/// <param name="Device">The badge's Matrix device.</param>
/// <param name="Channel">The channel name.</param>
/// <param name="Consent">What the wearer accepted.</param>
/// <param name="Grant">What a parent or admin granted.</param>
public sealed record GatewayPermit(string BadgeId, DeviceKey Device, string Channel, GatewayConsent Consent, GatewayGrant Grant);

/// <summary>The wearer's consent to receive (a long press, or <c>walkie permit accept</c>).</summary>
/// <param name="Receive">Opted in.</param>
/// <param name="Until">When it lapses; null for good.</param>
/// <param name="ChangedAt">When it last changed on the gateway, or the Matrix event's timestamp when it came from the room.</param>
public sealed record GatewayConsent(bool Receive, DateTimeOffset? Until, DateTimeOffset ChangedAt)
{
    /// <summary>No consent, never changed.</summary>
    public static GatewayConsent None { get; } = new(false, null, DateTimeOffset.MinValue);

    internal bool SameAs(WalkieAccept? accept) =>
        Receive == (accept?.Receive ?? false) && Millis(Until) == Millis(accept?.ExpiresAt);

    internal static long? Millis(DateTimeOffset? t) => t?.ToUnixTimeMilliseconds();
}

/// <summary>What a parent or admin granted (<c>walkie permit grant</c>, or a permit event from the room).</summary>
/// <param name="Receive">May receive.</param>
/// <param name="Send">May broadcast.</param>
/// <param name="Priority">May preempt a talker.</param>
/// <param name="Until">When it ends; null for good.</param>
/// <param name="ChangedAt">When it last changed on the gateway, or the Matrix event's timestamp when it came from the room.</param>
public sealed record GatewayGrant(bool Receive, bool Send, bool Priority, DateTimeOffset? Until, DateTimeOffset ChangedAt)
{
    /// <summary>Nothing granted, never changed.</summary>
    public static GatewayGrant None { get; } = new(false, false, false, null, DateTimeOffset.MinValue);

    internal bool SameAs(WalkiePermit? permit) =>
        Receive == (permit?.Receive ?? false) && Send == (permit?.Send ?? false) && Priority == (permit?.Priority ?? false)
        && GatewayConsent.Millis(Until) == GatewayConsent.Millis(permit?.ExpiresAt);
}
