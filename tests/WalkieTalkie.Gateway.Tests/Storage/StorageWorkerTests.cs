using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Tests.Support;

namespace WalkieTalkie.Gateway.Tests.Storage;

public sealed class StorageWorkerTests
{
    [Fact]
    public async Task Work_runs_in_the_order_handed_over_off_the_callers_thread_and_a_failure_stops_nothing()
    {
        await using var worker = new StorageWorker();
        var caller = Environment.CurrentManagedThreadId;
        var order = new List<int>();
        var threads = new HashSet<int>();
        for (var i = 0; i < 100; i++)
        {
            var n = i;
            worker.Post(() =>
            {
                order.Add(n);
                threads.Add(Environment.CurrentManagedThreadId);
                if (n == 50)
                {
                    throw new IOException("disk full");
                }
            });
        }

        var failed = worker.RunAsync(() => throw new InvalidOperationException("a read failed"));
        var count = await worker.RunAsync(() => order.Count);

        Assert.Equal(100, count);
        Assert.Equal(Enumerable.Range(0, 100), order);
        Assert.DoesNotContain(caller, threads);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failed);
        // The last item's result reaches the caller just before the worker counts it done.
        Assert.True(await Eventually.TrueAsync(() => worker.Pending == 0), $"{worker.Pending} pending");
    }

    [Fact]
    public async Task Stopping_finishes_what_was_queued_and_later_work_still_runs()
    {
        var worker = new StorageWorker();
        var done = 0;
        for (var i = 0; i < 1000; i++)
        {
            worker.Post(() => Interlocked.Increment(ref done));
        }

        await worker.DisposeAsync();
        Assert.Equal(1000, done);
        worker.Post(() => Interlocked.Increment(ref done));
        Assert.Equal(1001, done);
        Assert.Equal(7, await worker.RunAsync(() => 7));
    }

    [Fact]
    public async Task Deferred_work_wakes_nobody_and_runs_in_its_place_at_the_next_wake()
    {
        await using var worker = new StorageWorker();
        var order = new List<int>();
        Action<object?, object?> add = static (list, n) => ((List<int>)list!).Add((int)n!);
        var numbers = Enumerable.Range(0, 100).Select(i => (object)i).ToArray();
        Assert.True(await Eventually.TrueAsync(() => worker.Asleep, 30_000));
        var wakeUps = worker.WakeUps;

        for (var i = 0; i < 50; i++)
        {
            worker.Defer(add, order, numbers[i]);
        }

        // Asleep and never woken: nothing ran.
        Assert.Equal(wakeUps, worker.WakeUps);
        Assert.Equal(50, worker.Pending);

        // Other work wakes it and runs after what was deferred before it; then the tick's wake runs the rest.
        worker.Post(add, order, numbers[50]);
        for (var i = 51; i < 100; i++)
        {
            worker.Defer(add, order, numbers[i]);
        }

        Assert.True(await Eventually.TrueAsync(() => worker.Asleep || worker.Pending == 0, 30_000));
        worker.Wake();
        Assert.True(await Eventually.TrueAsync(() => worker.Pending == 0, 30_000), $"{worker.Pending} pending");
        Assert.Equal(Enumerable.Range(0, 100), order);
        Assert.InRange(worker.WakeUps - wakeUps, 1, 2);
    }

    [Fact]
    public async Task Posting_with_a_static_delegate_and_existing_state_allocates_nothing()
    {
        await using var worker = new StorageWorker();
        var sink = new int[1];
        var state = new object();
        Action<object?, object?> work = static (s, _) => ((int[])s!)[0]++;
        for (var i = 0; i < 10_000; i++)
        {
            worker.Post(work, sink, state); // warm up the queue's segments
        }

        await worker.RunAsync(() => { });
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            worker.Post(work, sink, state);
            worker.Defer(work, sink, state); // the recording's frames go this way
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        await worker.RunAsync(() => { });
        Assert.Equal(12_000, sink[0]);
        Assert.True(allocated < 1000 * 8, $"{allocated} bytes for 1000 posts");
    }
}
