using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace WalkieTalkie.Gateway.MatrixBridge;

/// <summary>
/// Reports the engine hands the bridge: queued at once on the engine's loop (which never waits for the homeserver)
/// and handled one at a time, in order, on a task of their own. A report that fails is logged and the next one goes on.
/// A report handed over through the shared database comes with what to do once it is handled (remove its row): done
/// after it was handled or failed, never when the bridge stops first, so that the next bridge handles it.
/// </summary>
internal sealed class EngineReportQueue<T>(string what, ILogger logger)
{
    private readonly Channel<(T Report, Action? Handled)> _reports =
        Channel.CreateUnbounded<(T, Action?)>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _loop;

    public void Post(T report, Action? handled = null) => _reports.Writer.TryWrite((report, handled));

    public void Start(Func<T, CancellationToken, Task> handle, CancellationToken ct) =>
        _loop = Task.Run(() => LoopAsync(handle, ct), CancellationToken.None);

    /// <summary>Handles what is queued, then ends (or ends at once when the start's token is cancelled).</summary>
    public async Task StopAsync()
    {
        _reports.Writer.TryComplete();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (Exception e)
            {
                logger.LogDebug(e, "The {What} loop ended with an error", what);
            }
        }
    }

    private async Task LoopAsync(Func<T, CancellationToken, Task> handle, CancellationToken ct)
    {
        try
        {
            await foreach (var (report, handled) in _reports.Reader.ReadAllAsync(ct))
            {
                try
                {
                    await handle(report, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    logger.LogWarning("No {What} for {Report}: {Error}", what, report, e.Message);
                }

                ct.ThrowIfCancellationRequested();
                try
                {
                    handled?.Invoke();
                }
                catch (Exception e)
                {
                    logger.LogWarning("The {What} for {Report} was handled but could not be marked so (it will be handled again): {Error}", what,
                        report, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
