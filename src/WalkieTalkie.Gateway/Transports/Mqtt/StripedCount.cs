namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>
/// A count that several threads add to often, each in a cell of its own, summed when read: the writer threads adding
/// to one shared counter for every frame to every listener moved its cache line from core to core each time (about a
/// twentieth of a writer's time at 1,000 listeners).
/// </summary>
internal sealed class StripedCount(int stripes)
{
    // 128 bytes apart: a cache line and the neighbouring one the prefetcher pulls in with it.
    private const int Stride = 16;
    private readonly long[] _cells = new long[Math.Max(stripes, 1) * Stride];

    /// <summary>Adds one in <paramref name="stripe"/>'s cell (any number: it wraps around the cells).</summary>
    public void Increment(int stripe) =>
        Interlocked.Increment(ref _cells[(int)((uint)stripe % (uint)(_cells.Length / Stride)) * Stride]);

    public long Value
    {
        get
        {
            long sum = 0;
            for (var at = 0; at < _cells.Length; at += Stride)
            {
                sum += Interlocked.Read(ref _cells[at]);
            }

            return sum;
        }
    }
}
