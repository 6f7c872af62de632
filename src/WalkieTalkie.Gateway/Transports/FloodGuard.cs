using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Time;

using WalkieTalkie.Gateway.Transports.Mqtt;

namespace WalkieTalkie.Gateway.Transports;

/// <summary>
/// Per-badge flood protection: a token bucket per badge; what exceeds it is dropped, and the drop is logged at most
/// once per interval per badge with the count dropped since the last warning. Thread-safe (broker threads call it).
/// </summary>
public sealed class FloodGuard(MqttOptions options, IClock clock, ILogger logger)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new();

    public bool Allow(string badgeId)
    {
        var now = clock.Now;
        var entry = _entries.GetOrAdd(badgeId, _ => new Entry(new TokenBucket(options.FloodMessagesPerSecond, options.FloodBurst, now)));
        lock (entry)
        {
            if (entry.Bucket.TryTake(now))
            {
                return true;
            }

            entry.Dropped++;
            if (now - entry.LastWarning >= TimeSpan.FromSeconds(options.FloodLogIntervalSeconds))
            {
                logger.LogWarning("Flood from badge {Badge}: {Dropped} messages dropped (limit {Rate}/s, burst {Burst})",
                    badgeId, entry.Dropped, options.FloodMessagesPerSecond, options.FloodBurst);
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
