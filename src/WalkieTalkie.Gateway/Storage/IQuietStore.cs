using WalkieTalkie.Gateway.Quiet;

namespace WalkieTalkie.Gateway.Storage;

/// <summary>
/// Quiet-hours schedules and do-not-disturb, kept with the registry (so they survive a restart and every change
/// moves the registry's version, which brings them to the running engine).
/// </summary>
public interface IQuietStore
{
    /// <summary>Adds a schedule and returns its id.</summary>
    /// <exception cref="RegistryException">No such badge or channel, an unknown time zone, or an empty window.</exception>
    long Add(QuietScope scope, string target, QuietDays days, TimeOnly start, TimeOnly end, string timeZoneId);

    IReadOnlyList<QuietSchedule> List();

    /// <exception cref="RegistryException">No such schedule.</exception>
    void Remove(long id);

    /// <summary>Turns do-not-disturb of a badge on or off.</summary>
    /// <exception cref="RegistryException">No such badge.</exception>
    void SetDoNotDisturb(string badgeId, bool on);

    IReadOnlySet<string> DoNotDisturb();
}
