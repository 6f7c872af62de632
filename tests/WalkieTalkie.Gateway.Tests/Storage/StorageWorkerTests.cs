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
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        await worker.RunAsync(() => { });
        Assert.Equal(11_000, sink[0]);
        Assert.True(allocated < 1000 * 8, $"{allocated} bytes for 1000 posts");
    }
}
