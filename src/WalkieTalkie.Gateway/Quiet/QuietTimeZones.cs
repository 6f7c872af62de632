namespace WalkieTalkie.Gateway.Quiet;

/// <summary>Time zones by IANA id ("Europe/Berlin"), as the machine's tz database knows them.</summary>
public static class QuietTimeZones
{
    /// <exception cref="Storage.RegistryException">An id the machine does not know.</exception>
    public static TimeZoneInfo Find(string id)
    {
        if (string.IsNullOrWhiteSpace(id) || !TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
        {
            throw new Storage.RegistryException($"'{id}' is not a known time zone (an IANA id such as Europe/Berlin or UTC)");
        }

        return zone;
    }
}
