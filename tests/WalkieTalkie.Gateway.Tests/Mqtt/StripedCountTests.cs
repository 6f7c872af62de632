using WalkieTalkie.Gateway.Transports.Mqtt;

namespace WalkieTalkie.Gateway.Tests.Mqtt;

/// <summary>A count kept in a cell per thread: what every thread added is in the sum, whichever cell it went to.</summary>
public sealed class StripedCountTests
{
    [Fact]
    public void The_value_is_every_threads_additions_in_every_cell()
    {
        const int PerThread = 20_000;
        var count = new StripedCount(3);
        // Stripes 0 to 4 over 3 cells: 3 and 4 wrap around onto cells 0 and 1, which other threads add to as well.
        var threads = Enumerable.Range(0, 5).Select(stripe => new Thread(() =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                count.Increment(stripe);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(5 * PerThread, count.Value);
    }
}
