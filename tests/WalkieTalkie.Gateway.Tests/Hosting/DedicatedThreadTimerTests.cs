using System.Collections.Concurrent;
using WalkieTalkie.Gateway.Hosting;

namespace WalkieTalkie.Gateway.Tests.Hosting;

/// <summary>
/// The engine ticker's timer on the system clock: its callback runs on its own thread, once or at a period, re-armed
/// from anywhere (its own callback included), and its thread ends when it is disposed. Waits are generous: what is
/// asserted is that it fires, not how soon.
/// </summary>
public sealed class DedicatedThreadTimerTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    [Fact]
    public void Armed_once_it_fires_once_on_its_own_named_thread()
    {
        var threads = new ConcurrentQueue<string?>();
        using var fired = new SemaphoreSlim(0);
        using var timer = new DedicatedThreadTimer("test ticker", () =>
        {
            threads.Enqueue(Thread.CurrentThread.Name);
            fired.Release();
        });

        Assert.True(timer.Change(TimeSpan.FromMilliseconds(10), Timeout.InfiniteTimeSpan));
        Assert.True(fired.Wait(Long));
        Assert.False(fired.Wait(TimeSpan.FromMilliseconds(200)));
        Assert.Equal(["test ticker"], threads);
    }

    [Fact]
    public void With_a_period_it_fires_until_it_is_disarmed()
    {
        var count = 0;
        using var fired = new SemaphoreSlim(0);
        using var timer = new DedicatedThreadTimer("test ticker", () =>
        {
            Interlocked.Increment(ref count);
            fired.Release();
        });

        timer.Change(TimeSpan.Zero, TimeSpan.FromMilliseconds(5));
        for (var i = 0; i < 5; i++)
        {
            Assert.True(fired.Wait(Long));
        }

        timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var disarmedAt = Volatile.Read(ref count);
        Thread.Sleep(200); // forty periods in which it must not fire
        Assert.InRange(Volatile.Read(ref count), disarmedAt, disarmedAt + 1); // one firing may have been under way
    }

    [Fact]
    public void Armed_far_ahead_then_sooner_it_fires_at_the_sooner_moment()
    {
        using var fired = new SemaphoreSlim(0);
        using var timer = new DedicatedThreadTimer("test ticker", () => fired.Release());

        timer.Change(TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);
        Assert.True(SpinWait.SpinUntil(() => timer.Asleep, Long)); // waiting for the hour to be up
        timer.Change(TimeSpan.FromMilliseconds(10), Timeout.InfiniteTimeSpan);

        Assert.True(fired.Wait(Long));
    }

    [Fact]
    public void Its_callback_can_arm_it_again()
    {
        var count = 0;
        using var thirdFiring = new ManualResetEventSlim();
        DedicatedThreadTimer? timer = null;
        using (timer = new DedicatedThreadTimer("test ticker", () =>
               {
                   if (Interlocked.Increment(ref count) < 3)
                   {
                       timer!.Change(TimeSpan.FromMilliseconds(5), Timeout.InfiniteTimeSpan);
                   }
                   else
                   {
                       thirdFiring.Set();
                   }
               }))
        {
            timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            Assert.True(thirdFiring.Wait(Long));
        }

        Assert.Equal(3, Volatile.Read(ref count));
    }

    [Fact]
    public void Disposed_its_thread_ends_and_it_cannot_be_armed()
    {
        var fired = 0;
        var timer = new DedicatedThreadTimer("test ticker", () => Interlocked.Increment(ref fired));
        timer.Change(TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);
        timer.Dispose();

        Assert.True(SpinWait.SpinUntil(() => timer.Ended, Long));
        Assert.False(timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        Assert.Equal(0, fired);
    }

    [Fact]
    public void Times_out_of_range_are_refused_as_by_dotnets_timers()
    {
        using var timer = new DedicatedThreadTimer("test ticker", () => { });

        Assert.Throws<ArgumentOutOfRangeException>(() => timer.Change(TimeSpan.FromMilliseconds(-2), Timeout.InfiniteTimeSpan));
        Assert.Throws<ArgumentOutOfRangeException>(() => timer.Change(TimeSpan.Zero, TimeSpan.FromMilliseconds(-2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => timer.Change(DedicatedThreadTimer.Longest + TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan));
        Assert.True(timer.Change(DedicatedThreadTimer.Longest, Timeout.InfiniteTimeSpan));
    }

    [Theory]
    [InlineData(1000, 100, 1005, 1100)] // on time: the schedule is kept
    [InlineData(1000, 100, 1099, 1100)]
    [InlineData(1000, 100, 1250, 1350)] // the callback overran a period: the next one a period from now
    [InlineData(1000, 0, 1005, long.MaxValue)] // once
    public void The_next_firing_keeps_the_schedule_unless_it_fell_behind(long dueAt, long period, long now, long next) =>
        Assert.Equal(next, DedicatedThreadTimer.NextDue(dueAt, period, now));

    [Fact]
    public void On_the_system_clock_the_engine_ticker_gets_a_timer_of_its_own_and_on_a_fake_one_the_clocks()
    {
        using var own = EngineTicker.CreateTimer(TimeProvider.System, () => { });
        using var fake = EngineTicker.CreateTimer(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(), () => { });

        Assert.IsType<DedicatedThreadTimer>(own);
        Assert.IsNotType<DedicatedThreadTimer>(fake);
    }
}
