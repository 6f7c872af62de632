namespace WalkieTalkie.TestHomeserver.Http;

/// <summary>
/// Leaky buckets keyed by (limit, actor), the model Synapse uses for every <c>rc_*</c> limit. A request is allowed
/// while the bucket holds fewer than <c>burst</c> actions; the bucket drains at <c>perSecond</c>.
/// </summary>
internal sealed class RateLimiter(TimeProvider clock)
{
    private readonly Dictionary<(string Limit, string Actor), (double Level, DateTimeOffset At)> _buckets = new();
    private readonly Lock _gate = new();

    /// <summary>Takes one action from the bucket or throws 429 M_LIMIT_EXCEEDED with the time until one fits.</summary>
    public void Take(string limit, string actor, double perSecond, int burst)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var level = 0.0;
            if (_buckets.TryGetValue((limit, actor), out var bucket))
            {
                level = Math.Max(0, bucket.Level - (now - bucket.At).TotalSeconds * perSecond);
            }

            if (level + 1 > burst)
            {
                throw MatrixException.LimitExceeded(TimeSpan.FromSeconds((level + 1 - burst) / perSecond));
            }

            _buckets[(limit, actor)] = (level + 1, now);
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _buckets.Clear();
        }
    }
}
