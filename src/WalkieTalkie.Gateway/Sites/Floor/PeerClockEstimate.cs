namespace WalkieTalkie.Gateway.Sites.Floor;

/// <summary>
/// A peer's clock offset estimated NTP-style from probe round trips: offset ((t2 - t1) + (t3 - t4)) / 2, error half
/// the round trip (t4 - t1) - (t3 - t2). Of the last few samples the one with the shortest round trip is kept, as
/// NTP's clock filter does: queueing delay inflates the error, never the true offset.
/// </summary>
internal sealed class PeerClockEstimate
{
    private const int Samples = 8;
    private readonly (long Offset, long RoundTrip)[] _samples = new (long, long)[Samples];
    private int _count;
    private int _next;

    public bool ProbePending { get; set; }

    public long ProbeOriginTs { get; set; }

    public DateTimeOffset NextProbe { get; set; }

    public bool Measured => _count > 0;

    public void Add(long t1, long t2, long t3, long t4)
    {
        var roundTrip = Math.Max(0, (t4 - t1) - (t3 - t2));
        var offset = ((t2 - t1) + (t3 - t4)) / 2;
        _samples[_next] = (offset, roundTrip);
        _next = (_next + 1) % Samples;
        _count = Math.Min(_count + 1, Samples);
    }

    public bool WithinBound(int maxSkewMs)
    {
        var (offset, roundTrip) = Best();
        return Math.Abs(offset) + roundTrip / 2 <= maxSkewMs;
    }

    public PeerClock Report(string peer, int maxSkewMs)
    {
        var (offset, roundTrip) = Best();
        return new PeerClock(peer, offset, roundTrip / 2, WithinBound(maxSkewMs));
    }

    private (long Offset, long RoundTrip) Best()
    {
        var best = _samples[0];
        for (var i = 1; i < _count; i++)
        {
            if (_samples[i].RoundTrip < best.RoundTrip)
            {
                best = _samples[i];
            }
        }

        return best;
    }
}
