namespace WalkieTalkie.Badge.Simulation.Tests;

/// <summary>
/// A fleet's badges share this process's thread pool, where each real badge has its own network stack: the pool must
/// start the threads they need at once, not one every half second (docs/audio.md).
/// </summary>
public class ThreadPoolFloorTests
{
    [Fact]
    public void The_pool_starts_threads_for_every_badge_at_once_and_a_smaller_fleet_never_lowers_it()
    {
        ThreadPool.GetMinThreads(out var workersBefore, out var ioBefore);

        ThreadPoolFloor.RaiseFor(40);
        ThreadPool.GetMinThreads(out var raised, out var io);
        ThreadPoolFloor.RaiseFor(1);
        ThreadPool.GetMinThreads(out var afterSmallFleet, out _);

        Assert.True(raised >= 40 * 4, $"40 badges: at least 160 threads at once, not {raised}");
        Assert.True(raised >= workersBefore);
        Assert.Equal(ioBefore, io);
        Assert.Equal(raised, afterSmallFleet);
    }

    [Fact]
    public void A_load_test_fleet_is_not_given_a_thread_for_everything()
    {
        ThreadPool.GetMinThreads(out var before, out _);

        ThreadPoolFloor.RaiseFor(10_000);
        ThreadPool.GetMinThreads(out var raised, out _);

        Assert.Equal(Math.Max(before, 256), raised);
    }
}
