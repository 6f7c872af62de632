namespace WalkieTalkie.Gateway.Transports;

/// <summary>A token bucket: <c>rate</c> tokens a second up to <c>capacity</c>; each message takes one.</summary>
public sealed class TokenBucket
{
    private readonly double rate;
    private readonly double capacity;
    private double _tokens;
    private DateTimeOffset _last;

    public TokenBucket(double rate, double capacity, DateTimeOffset now)
    {
        this.rate = rate;
        this.capacity = capacity;
        _tokens = capacity;
        _last = now;
    }

    public bool TryTake(DateTimeOffset now)
    {
        var elapsed = (now - _last).TotalSeconds;
        if (elapsed > 0)
        {
            _tokens = Math.Min(capacity, _tokens + elapsed * rate);
            _last = now;
        }

        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }
}
