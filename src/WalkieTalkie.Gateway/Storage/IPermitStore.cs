namespace WalkieTalkie.Gateway.Storage;

/// <summary>
/// Permits (MSC4002): offered by an admin or parent, accepted by the badge (or, where allowed, by the admin on its
/// behalf), withdrawn by the badge, revoked by the admin, or expired. Every change moves the registry's version.
/// </summary>
public interface IPermitStore
{
    /// <summary>Offers <paramref name="permits"/> (bits of <c>PermitBits</c>) until <paramref name="until"/> (null: for good).</summary>
    /// <exception cref="RegistryException">Unknown permit bits, or the badge is not a member of the channel.</exception>
    void Grant(string badgeId, int channel, byte permits, DateTimeOffset? until, string offeredBy, bool accepted);

    /// <summary>Takes back the given permits (or all); returns false when there was nothing to revoke.</summary>
    bool Revoke(string badgeId, int channel, byte permits = PermitBits.Known);

    /// <summary>The badge accepts (part of) an offer. Returns the accepted bits now held, or null when nothing was offered.</summary>
    byte? Accept(string badgeId, int channel, byte permits);

    /// <summary>The badge withdraws (part of) its acceptance; null when nothing was offered.</summary>
    byte? Withdraw(string badgeId, int channel, byte permits);

    /// <summary>Notes that the badge was sent its pending offer.</summary>
    void MarkOfferSent(string badgeId, int channel);

    IReadOnlyList<PermitRecord> List();
}
