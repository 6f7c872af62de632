namespace WalkieTalkie.Gateway.Mqtt;

/// <summary>A token bucket: <c>rate</c> tokens a second up to <c>capacity</c>; each message takes one.</summary>
public sealed class TokenBucket(double rate, double capacity, DateTimeOffset now)
{
    private double _tokens = capacity;
    private DateTimeOffset _last = now;

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
