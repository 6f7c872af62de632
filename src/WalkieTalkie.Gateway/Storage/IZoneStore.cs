namespace WalkieTalkie.Gateway.Storage;

/// <summary>A named zone's access point.</summary>
public sealed record ZoneAccessPoint(string Zone, string Bssid);

/// <summary>Where a badge was last: the access point it reported, the zone that maps to now ("" when none), the signal.</summary>
public sealed record BadgeLocation(string BadgeId, string Bssid, string Zone, int Rssi, long AtMs);

/// <summary>
/// Zones (named sets of access points, <c>walkie zone</c>) and the last access point each badge reported. A badge's
/// zone is looked up when it is read, so renaming or moving a zone applies to what was already reported.
/// </summary>
public interface IZoneStore
{
    /// <summary>Adds access points to a zone (creating it); an access point belongs to one zone.</summary>
    /// <exception cref="RegistryException">Not a zone name, not a BSSID, or an access point of another zone.</exception>
    void Add(string zone, IReadOnlyList<string> bssids);

    /// <exception cref="RegistryException">No such zone.</exception>
    void Remove(string zone);

    IReadOnlyList<ZoneAccessPoint> List();

    void SetLocation(string badgeId, string bssid, int rssi, long atMs);

    IReadOnlyList<BadgeLocation> Locations();

    /// <summary>Forgets every badge's location (zones turned off).</summary>
    void ClearLocations();
}
