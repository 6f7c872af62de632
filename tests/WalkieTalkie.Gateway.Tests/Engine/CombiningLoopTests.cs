using System.Collections.Concurrent;
using WalkieTalkie.Gateway.Engine;

namespace WalkieTalkie.Gateway.Tests.Engine;

/// <summary>
/// The engine's loop without a thread of its own: the thread that posts to an idle loop handles the item, one item at
/// a time in the order posted whoever posts, a handler that posts does not recurse, an unfinished item holds the loop
/// without holding its poster, and one post handles a bounded number of items.
/// </summary>
public sealed class CombiningLoopTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void Nothing_is_handled_before_the_start_and_an_idle_loop_handles_a_post_on_the_posting_thread()
    {
        var handled = new List<(int Item, int Thread)>();
        var loop = new CombiningLoop<Box>(b => Record(handled, b.Value), Fail);

        loop.Post(new Box(1));
        Assert.Empty(handled);
        Assert.Equal(1, loop.Queued);

        loop.Start();
        loop.Post(new Box(2));

        var here = Environment.CurrentManagedThreadId;
        Assert.Equal([(1, here), (2, here)], handled);
        Assert.Equal(0, loop.Queued);
    }

    [Fact]
    public async Task Items_from_many_threads_are_handled_one_at_a_time_each_threads_in_the_order_it_posted()
    {
        const int threads = 4;
        const int perThread = 20_000;
        var inside = 0;
        var overlaps = 0;
        var last = new int[threads];
        var outOfOrder = 0;
        var count = 0;
        var all = new TaskCompletionSource();
        var loop = new CombiningLoop<Box>(b =>
        {
            if (Interlocked.Increment(ref inside) != 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            var (thread, sequence) = (b.Value / perThread, b.Value % perThread);
            if (sequence != last[thread]++)
            {
                outOfOrder++;
            }

            Interlocked.Decrement(ref inside);
            if (++count == threads * perThread)
            {
                all.SetResult();
            }

            return Task.CompletedTask;
        }, Fail);
        loop.Start();

        using var go = new Barrier(threads);
        var posters = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            go.SignalAndWait();
            for (var i = 0; i < perThread; i++)
            {
                loop.Post(new Box(t * perThread + i));
            }
        })).ToList();
        posters.ForEach(p => p.Start());
        posters.ForEach(p => p.Join());

        await all.Task.WaitAsync(Timeout);
        Assert.Equal(0, overlaps);
        Assert.Equal(0, outOfOrder);
        Assert.Equal(0, loop.Queued);
    }

    [Fact]
    public void A_handler_that_posts_does_not_recurse_the_item_it_posts_comes_after_it()
    {
        var depth = 0;
        var deepest = 0;
        var order = new List<int>();
        CombiningLoop<Box>? loop = null;
        loop = new CombiningLoop<Box>(b =>
        {
            deepest = Math.Max(deepest, ++depth);
            order.Add(b.Value);
            if (b.Value < 3)
            {
                loop!.Post(new Box(b.Value + 1)); // as an observer called by the engine might
                order.Add(-b.Value);
            }

            depth--;
            return Task.CompletedTask;
        }, Fail);
        loop.Start();

        loop.Post(new Box(1));

        Assert.Equal(1, deepest);
        Assert.Equal([1, -1, 2, -2, 3], order);
    }

    [Fact]
    public async Task An_unfinished_item_holds_the_loop_without_holding_its_poster_and_the_order_is_kept()
    {
        var storage = new TaskCompletionSource(); // completes on the thread that sets it, as a storage reply may
        var handled = new ConcurrentQueue<(int Item, int Thread)>();
        var loop = new CombiningLoop<Box>(b =>
        {
            handled.Enqueue((b.Value, Environment.CurrentManagedThreadId));
            return b.Value == 1 ? storage.Task : Task.CompletedTask;
        }, Fail);
        loop.Start();

        loop.Post(new Box(1)); // returns: the rest goes on when the storage answers
        await Task.Run(() => loop.Post(new Box(2))); // another thread finds the loop held and only queues
        loop.Post(new Box(3));

        Assert.Equal([1], handled.Select(h => h.Item));
        Assert.Equal(2, loop.Queued);

        var completer = new Thread(() => storage.SetResult());
        completer.Start();
        completer.Join();

        Assert.Equal([1, 2, 3], handled.Select(h => h.Item));
        Assert.All(handled.Skip(1), h => Assert.Equal(completer.ManagedThreadId, h.Thread));
        Assert.Equal(0, loop.Queued);
    }

    [Fact]
    public async Task One_post_handles_at_most_the_budget_on_its_thread_and_the_pool_handles_the_rest_in_order()
    {
        const int budget = 3;
        var handled = new ConcurrentQueue<(int Item, int Thread)>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        CombiningLoop<Box>? loop = null;
        loop = new CombiningLoop<Box>(b =>
        {
            handled.Enqueue((b.Value, Environment.CurrentManagedThreadId));
            if (b.Value == 0)
            {
                for (var i = 1; i <= 10; i++)
                {
                    loop!.Post(new Box(i)); // a flood queued while this thread holds the loop
                }
            }

            if (b.Value == 10)
            {
                all.SetResult();
            }

            return Task.CompletedTask;
        }, Fail, budget);
        loop.Start();

        loop.Post(new Box(0));

        var here = Environment.CurrentManagedThreadId;
        Assert.Equal(budget, handled.Count(h => h.Thread == here));
        await all.Task.WaitAsync(Timeout);
        Assert.Equal(Enumerable.Range(0, 11), handled.Select(h => h.Item));
        Assert.All(handled.Skip(budget), h => Assert.NotEqual(here, h.Thread));
    }

    [Fact]
    public async Task A_failing_item_is_reported_and_the_next_one_is_handled()
    {
        var failed = new List<int>();
        var handled = new List<int>();
        var loop = new CombiningLoop<Box>(b =>
        {
            handled.Add(b.Value);
            return b.Value switch
            {
                1 => throw new InvalidOperationException("thrown"),
                2 => Task.FromException(new InvalidOperationException("faulted")),
                _ => Task.CompletedTask,
            };
        }, (b, _) => failed.Add(b.Value));
        loop.Start();

        loop.Post(new Box(1));
        loop.Post(new Box(2));
        loop.Post(new Box(3));

        await Task.Yield();
        Assert.Equal([1, 2, 3], handled);
        Assert.Equal([1, 2], failed);
    }

    [Fact]
    public async Task A_stop_from_a_handler_ends_the_loop_after_that_item_and_nothing_is_taken_after()
    {
        var handled = new List<int>();
        CombiningLoop<Box>? loop = null;
        loop = new CombiningLoop<Box>(b =>
        {
            handled.Add(b.Value);
            if (b.Value == 2)
            {
                loop!.Post(new Box(3));
                loop.Stop();
            }

            return Task.CompletedTask;
        }, Fail);
        loop.Start();

        loop.Post(new Box(1));
        loop.Post(new Box(2));
        await loop.Ended.WaitAsync(Timeout);
        loop.Post(new Box(4));

        Assert.Equal([1, 2], handled);
        Assert.Equal(2, loop.Queued);
    }

    [Fact]
    public async Task A_stop_while_an_item_is_unfinished_ends_the_loop_once_it_finishes()
    {
        var storage = new TaskCompletionSource();
        var handled = new List<int>();
        var loop = new CombiningLoop<Box>(b =>
        {
            handled.Add(b.Value);
            return b.Value == 1 ? storage.Task : Task.CompletedTask;
        }, Fail);
        loop.Start();
        loop.Post(new Box(1));
        loop.Post(new Box(2));

        loop.Stop();
        Assert.False(loop.Ended.IsCompleted);
        storage.SetResult();

        await loop.Ended.WaitAsync(Timeout);
        Assert.Equal([1], handled);
    }

    [Fact]
    public void Items_are_handled_in_the_context_the_loop_was_started_in_not_the_posters()
    {
        var scope = new AsyncLocal<string>();
        var seen = new List<string?>();
        var loop = new CombiningLoop<Box>(b =>
        {
            seen.Add(scope.Value);
            return Task.CompletedTask;
        }, Fail);
        scope.Value = "host";
        loop.Start();

        scope.Value = "a web request";
        loop.Post(new Box(1));

        Assert.Equal(["host"], seen);
        Assert.Equal("a web request", scope.Value);
    }

    private static Task Record(List<(int, int)> handled, int item)
    {
        handled.Add((item, Environment.CurrentManagedThreadId));
        return Task.CompletedTask;
    }

    private static void Fail(Box item, Exception e) => Assert.Fail($"item {item.Value} failed: {e}");

    private sealed record Box(int Value);
}
