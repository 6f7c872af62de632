using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace WalkieTalkie.Gateway.Transports;

/// <summary>
/// Per-badge flood protection: a token bucket per badge; what exceeds it is dropped, and the drop is logged at most
/// once per interval per badge with the count dropped since the last warning. Thread-safe (transports call it from their own threads).
/// </summary>
public sealed class FloodGuard(FloodLimits limits, TimeProvider time, ILogger<FloodGuard> logger)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new();

    public bool Allow(string badgeId)
    {
        var now = time.GetUtcNow();
        var entry = _entries.GetOrAdd(badgeId, _ => new Entry(new TokenBucket(limits.MessagesPerSecond, limits.Burst, now)));
        lock (entry)
        {
            if (entry.Bucket.TryTake(now))
            {
                return true;
            }

            entry.Dropped++;
            if (now - entry.LastWarning >= TimeSpan.FromSeconds(limits.LogIntervalSeconds))
            {
                logger.LogWarning("Flood from badge {Badge}: {Dropped} messages dropped (limit {Rate}/s, burst {Burst})",
                    badgeId, entry.Dropped, limits.MessagesPerSecond, limits.Burst);
                entry.LastWarning = now;
                entry.Dropped = 0;
            }

            return false;
        }
    }

    private sealed class Entry(TokenBucket bucket)
    {
        public TokenBucket Bucket { get; } = bucket;
        public long Dropped { get; set; }
        public DateTimeOffset LastWarning { get; set; } = DateTimeOffset.MinValue;
    }
}
