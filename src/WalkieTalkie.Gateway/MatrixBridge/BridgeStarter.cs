using Microsoft.Extensions.Logging;
using WalkieTalkie.Matrix.Client.Http;

namespace WalkieTalkie.Gateway.MatrixBridge;

/// <summary>
/// Starts the bridge when the homeserver answers. A gateway that boots while the homeserver is away (a power cut takes
/// the router down with it) used to log "did not start" and never bridge again until the next restart, with the
/// bursts piling up in the recordings. Now a start that fails because the homeserver is unreachable (network errors,
/// timeouts, 5xx, 429) is tried again, 1 s then doubling up to a maximum, until it succeeds or the gateway stops; a
/// permanent failure (a refused token, a damaged session file, a wrong store key) is logged and ends the attempts, as
/// retrying would not fix it.
/// </summary>
public static class BridgeStarter
{
    /// <summary>Calls <paramref name="start"/> until it succeeds, retrying transient failures.</summary>
    /// <returns>What <paramref name="start"/> returned, or null after a permanent failure.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<T?> StartWhenReachableAsync<T>(Func<CancellationToken, Task<T>> start, TimeSpan maxWait, ILogger logger,
        CancellationToken cancellationToken, Func<TimeSpan, CancellationToken, Task>? delay = null) where T : class
    {
        delay ??= Task.Delay;
        var backoff = new RetryPolicy { InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = maxWait, Jitter = 0.2 };
        for (var failures = 1; ; failures++)
        {
            try
            {
                return await start(cancellationToken);
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping: whatever the start failed with is the stop's doing, not the homeserver's.
                throw new OperationCanceledException("The gateway stopped while the Matrix bridge was starting.", e, cancellationToken);
            }
            catch (Exception e) when (IsTransient(e))
            {
                var wait = backoff.DelayFor(failures, (e as MatrixException)?.RetryAfter);
                logger.LogWarning("The Matrix bridge could not start, the homeserver is not reachable ({Error}); trying again in {Wait:0.#} s. " +
                    "Bursts wait in the recordings meanwhile.", e.Message, wait.TotalSeconds);
                await delay(wait, cancellationToken);
            }
            catch (Exception e)
            {
                logger.LogError(e, "The Matrix bridge did not start; bursts wait in the recordings until it does");
                return null;
            }
        }
    }

    /// <summary>A failure of reaching the homeserver, here or below a wrapper.</summary>
    public static bool IsTransient(Exception failure)
    {
        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            if (MatrixHttp.IsTransient(e))
            {
                return true;
            }
        }

        return failure is AggregateException aggregate && aggregate.InnerExceptions.Any(IsTransient);
    }
}
