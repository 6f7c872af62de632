using Microsoft.Extensions.Logging;

namespace WalkieTalkie.Gateway.Sites.Link;

/// <summary>
/// Refusals on the site link, logged once per offender (a gateway id, or the address of one that never said who it
/// is) and reason: a hostile or broken peer that retries every second must not fill the log.
/// </summary>
public sealed class LinkRefusals(ILogger<LinkRefusals> logger)
{
    private const int MaxRemembered = 10_000;
    private readonly HashSet<string> _logged = new(StringComparer.Ordinal);

    /// <summary>How many refusals were made (logged or not).</summary>
    public int Count { get; private set; }

    public void Refuse(string offender, string reason)
    {
        bool first;
        lock (_logged)
        {
            Count++;
            if (_logged.Count >= MaxRemembered)
            {
                _logged.Clear();
            }

            first = _logged.Add(offender + "\n" + reason);
        }

        if (first)
        {
            logger.LogWarning("Site link refused for {Offender}: {Reason}", offender, reason);
        }
    }
}
