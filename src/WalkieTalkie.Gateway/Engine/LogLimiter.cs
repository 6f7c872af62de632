using WalkieTalkie.Gateway.Time;

namespace WalkieTalkie.Gateway.Engine;

/// <summary>Lets a repeated warning through once per interval per key (a hostile badge must not flood the log).</summary>
public sealed class LogLimiter(IClock clock, TimeSpan interval)
{
    private readonly Dictionary<string, DateTimeOffset> _last = new();

    public bool ShouldLog(string key)
    {
        var now = clock.Now;
        if (_last.TryGetValue(key, out var last) && now - last < interval)
        {
            return false;
        }

        _last[key] = now;
        return true;
    }
}
