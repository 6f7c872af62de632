using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace WalkieTalkie.Gateway.Storage;

/// <summary>
/// Runs the gateway's storage work (database writes and reads, recording files) one item at a time, in the order it
/// was handed over, on a thread of its own: the engine's loop hands work here and never waits on a disk. Order is
/// what makes it safe: a recording finished before a badge's unplayed list is read is in that list.
/// </summary>
/// <remarks>
/// <see cref="Post(Action{object?, object?}, object?, object?)"/> with a static delegate and existing objects as state
/// allocates nothing (the per-frame recording append uses it); the other forms allocate a closure and, for results, a
/// task. Work handed over after <see cref="DisposeAsync"/> runs on the caller's thread, so a stopping gateway loses none.
/// The queue is a plain one under a lock, and the thread sleeps on it: the caller wakes it directly, and only when it
/// is asleep (a channel's reader was completed through the thread pool, so every recorded frame woke a pool thread as
/// well as this one, and the blocked wait spun before it slept; on a virtual machine each wake-up is dear).
/// </remarks>
public sealed class StorageWorker : IAsyncDisposable, IDisposable
{
    private readonly Queue<Work> _queue = new(1024);
    private readonly object _gate = new();
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _pending;
    private bool _sleeping;
    private bool _completed;

    public StorageWorker(ILogger<StorageWorker>? logger = null)
    {
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _thread = new Thread(Run) { IsBackground = true, Name = "walkie storage" };
        _thread.Start();
    }

    /// <summary>Items handed over and not done yet (for diagnostics and the bench).</summary>
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>Queues <paramref name="work"/>(<paramref name="first"/>, <paramref name="second"/>); a failure is logged.</summary>
    public void Post(Action<object?, object?> work, object? first, object? second) => Enqueue(new Work(work, first, second));

    /// <summary>Queues <paramref name="work"/>; a failure is logged.</summary>
    public void Post(Action work) => Enqueue(new Work(static (w, _) => ((Action)w!)(), work, null));

    /// <summary>Queues <paramref name="work"/>; the task ends when it ran (with its exception, if it threw).</summary>
    public Task RunAsync(Action work) => RunAsync(() =>
    {
        work();
        return true;
    });

    /// <summary>Queues <paramref name="work"/>; the task gives its result (or its exception).</summary>
    public Task<T> RunAsync<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new Work(static (w, d) =>
        {
            var completion = (TaskCompletionSource<T>)d!;
            try
            {
                completion.SetResult(((Func<T>)w!)());
            }
            catch (Exception e)
            {
                completion.SetException(e);
            }
        }, work, done));
        return done.Task;
    }

    private void Enqueue(Work work)
    {
        Interlocked.Increment(ref _pending);
        lock (_gate)
        {
            if (!_completed)
            {
                _queue.Enqueue(work);
                if (_sleeping)
                {
                    _sleeping = false;
                    Monitor.Pulse(_gate);
                }

                return;
            }
        }

        Execute(work);
    }

    private void Run()
    {
        while (true)
        {
            Work work;
            lock (_gate)
            {
                while (_queue.Count == 0 && !_completed)
                {
                    _sleeping = true;
                    Monitor.Wait(_gate);
                }

                if (!_queue.TryDequeue(out work))
                {
                    break;
                }
            }

            Execute(work);
        }

        _stopped.TrySetResult();
    }

    private void Execute(Work work)
    {
        try
        {
            work.Run(work.First, work.Second);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Storage work failed: {Error}", e.Message);
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>Runs what is queued, then stops taking work (later work runs on the caller's thread).</summary>
    public async ValueTask DisposeAsync()
    {
        Complete();
        await _stopped.Task;
    }

    /// <summary>Runs what is queued, then stops taking work (waiting on this thread).</summary>
    public void Dispose()
    {
        Complete();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }
    }

    private void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.Pulse(_gate);
        }
    }

    private readonly record struct Work(Action<object?, object?> Run, object? First, object? Second);
}
