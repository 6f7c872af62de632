using System.Collections.Concurrent;

namespace WalkieTalkie.Gateway.Engine;

/// <summary>
/// A loop without a thread of its own: items are handled one at a time, in the order posted, by whichever thread posts
/// one while nobody is handling items. A thread that finds the loop busy only queues its item, for the thread that
/// holds the loop to take. An audio frame is then handled on the thread that received it, rather than posted to a
/// queue and taken by a pool thread woken for it: one futex wake and context switch less per frame.
/// </summary>
/// <remarks>
/// <para>An item whose handling does not complete synchronously keeps the loop held until it completes (nobody else
/// handles items meanwhile); the thread that posted it returns at once, and the loop goes on on the thread that
/// completed the handling. A handler that posts (or whatever it calls synchronously) finds the loop held and only
/// queues: it never recurses into the loop. A thread handles at most <c>budget</c> items for one post, so a transport's
/// thread is never kept by a flood from others: the rest is handed to a pool work item, which holds the loop.</para>
/// <para>Items are handled in the execution context the loop was started in, not the poster's (a web request's log
/// scope or trace does not leak into the engine, nor into what the engine starts).</para>
/// <para>Nothing is handled before <see cref="Start"/>; after <see cref="Stop"/> the item being handled finishes and
/// no other is taken, ever (<see cref="Ended"/> completes then).</para>
/// </remarks>
internal sealed class CombiningLoop<T> : IThreadPoolWorkItem where T : class
{
    /// <summary>Items one post may handle on the posting thread: a few milliseconds of engine work at most.</summary>
    public const int DefaultBudget = 64;

    private readonly ConcurrentQueue<T> _queue = new();
    private readonly Func<T, Task> _handle;
    private readonly Action<T, Exception> _failed;
    private readonly int _budget;
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ExecutionContext? _context;
    private int _held; // 1 while a thread handles items, an unfinished item holds the loop, or the loop has ended
    private int _queued;
    private volatile bool _started;
    private volatile bool _stopping;

    /// <param name="handle">Handles one item; it may complete later (the loop waits for it).</param>
    /// <param name="failed">Told of an item whose handling threw or faulted; the loop goes on with the next.</param>
    /// <param name="budget">Items one post handles at most on the posting thread before handing the rest to the pool.</param>
    public CombiningLoop(Func<T, Task> handle, Action<T, Exception> failed, int budget = DefaultBudget)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, 1);
        _handle = handle;
        _failed = failed;
        _budget = budget;
    }

    /// <summary>Items posted and not taken yet.</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>Completes once the loop has stopped and no item is being handled.</summary>
    public Task Ended => _ended.Task;

    /// <summary>Queues the item and, when nobody is handling items, handles it (and what else is queued) on this thread.</summary>
    public void Post(T item)
    {
        // Counted before it is queued, so that the loop never takes an item it has not counted.
        Interlocked.Increment(ref _queued);
        _queue.Enqueue(item);
        Run();
    }

    /// <summary>Starts handling items (those queued so far on this thread), in this thread's execution context.</summary>
    public void Start()
    {
        _context = ExecutionContext.Capture();
        _started = true;
        Run();
    }

    /// <summary>No item is taken after the one being handled (if any); may be called by the handler itself.</summary>
    public void Stop()
    {
        _stopping = true;
        if (Interlocked.CompareExchange(ref _held, 1, 0) == 0)
        {
            _ended.TrySetResult(); // held for good: nobody takes the loop again
        }
    }

    // A pool thread given the rest of a flood: it holds the loop already.
    void IThreadPoolWorkItem.Execute() => HandleHeldInContext();

    private void Run()
    {
        if (!_started || _queue.IsEmpty && !_stopping)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _held, 1, 0) != 0)
        {
            return; // the thread that holds the loop takes the item
        }

        HandleHeldInContext();
    }

    private void HandleHeldInContext()
    {
        var context = _context;
        if (context is null || ReferenceEquals(ExecutionContext.Capture(), context))
        {
            HandleHeld();
            return;
        }

        ExecutionContext.Run(context, static loop => ((CombiningLoop<T>)loop!).HandleHeld(), this);
    }

    // Holding the loop: items until the queue is empty (then the loop is let go), the budget is spent (the pool goes
    // on), an item does not complete at once (its completion goes on), or the loop stops.
    private void HandleHeld()
    {
        var budget = _budget;
        while (true)
        {
            if (_stopping)
            {
                _ended.TrySetResult();
                return;
            }

            if (_queue.IsEmpty)
            {
                Interlocked.Exchange(ref _held, 0);
                // An item queued after the look by a thread that found the loop held is ours to take; so is a stop.
                if ((_queue.IsEmpty && !_stopping) || Interlocked.CompareExchange(ref _held, 1, 0) != 0)
                {
                    return;
                }

                continue;
            }

            if (budget-- == 0)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return;
            }

            _queue.TryDequeue(out var item); // only the loop's holder takes: what it saw queued is there
            Interlocked.Decrement(ref _queued);
            var handled = Handle(item!);
            if (!handled.IsCompleted)
            {
                _ = GoOnAfterAsync(handled, item!);
                return;
            }

            Observe(handled, item!);
        }
    }

    private Task Handle(T item)
    {
        try
        {
            return _handle(item);
        }
        catch (Exception e)
        {
            _failed(item, e);
            return Task.CompletedTask;
        }
    }

    private void Observe(Task handled, T item)
    {
        if (!handled.IsCompletedSuccessfully)
        {
            _failed(item, handled.Exception?.GetBaseException() ?? new OperationCanceledException());
        }
    }

    // The loop stays held while the item is handled; the thread that completes it goes on with the next ones.
    private async Task GoOnAfterAsync(Task handled, T item)
    {
        await handled.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Observe(handled, item);
        HandleHeld();
    }
}
