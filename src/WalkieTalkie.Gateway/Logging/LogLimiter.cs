namespace WalkieTalkie.Gateway.Logging;

/// <summary>
/// Lets a repeated warning through once per interval per key (a hostile badge must not flood the log). Thread-safe:
/// the broker's threads share one.
/// </summary>
public sealed class LogLimiter(TimeProvider time, TimeSpan interval)
{
    private readonly Dictionary<string, DateTimeOffset> _last = new();

    public bool ShouldLog(string key)
    {
        var now = time.GetUtcNow();
        lock (_last)
        {
            if (_last.TryGetValue(key, out var last) && now - last < interval)
            {
                return false;
            }

            if (_last.Count > 10_000)
            {
                _last.Clear();
            }

            _last[key] = now;
            return true;
        }
    }
}
