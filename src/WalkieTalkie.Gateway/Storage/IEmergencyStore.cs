namespace WalkieTalkie.Gateway.Storage;

/// <summary>An open emergency: the badge that raised it (SOS) and when.</summary>
public sealed record EmergencyRecord(string BadgeId, long OpenedAtMs);

/// <summary>
/// Open emergencies, kept with the registry: they survive a gateway restart, and a change (an admin's
/// <c>walkie sos cancel</c>) moves the registry's version, which brings it to the running engine.
/// </summary>
public interface IEmergencyStore
{
    /// <summary>
    /// Opens an emergency of a badge (kept as first opened when one is open already); returns the registry's version
    /// that holds it, so a later registry without it means an admin cancelled it.
    /// </summary>
    /// <exception cref="RegistryException">No such badge.</exception>
    long Open(string badgeId, long atMs);

    /// <summary>Closes the badge's emergency.</summary>
    /// <exception cref="RegistryException">No open emergency of that badge.</exception>
    void Close(string badgeId);

    IReadOnlyList<EmergencyRecord> List();
}
