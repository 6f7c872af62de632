namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>
/// Starves the process's thread pool until disposed, as a loaded machine or a component flooding the pool does: the
/// pool's minimum is set to the processor count (above it, the pool adds threads slowly) and 200 work items each block
/// a pool thread, so that work queued behind them waits for seconds. Whoever uses it must not await meanwhile: watch
/// from a thread of your own (a test's thread, blocking).
/// </summary>
public sealed class StarvedThreadPool : IDisposable
{
    private const int BlockingItems = 200;

    private readonly ManualResetEventSlim _release = new(false);
    private readonly int _minWorkers;
    private readonly int _minIo;

    public StarvedThreadPool()
    {
        ThreadPool.GetMinThreads(out _minWorkers, out _minIo);
        ThreadPool.SetMinThreads(Environment.ProcessorCount, _minIo);
        for (var i = 0; i < BlockingItems; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(release => release.Wait(), _release, preferLocal: false);
        }
    }

    public void Dispose()
    {
        _release.Set();
        ThreadPool.SetMinThreads(_minWorkers, _minIo);
    }
}
