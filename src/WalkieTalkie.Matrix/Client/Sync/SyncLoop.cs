using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WalkieTalkie.Matrix.Client.Http;

namespace WalkieTalkie.Matrix.Client.Sync;

/// <summary>
/// Long-polls <c>/sync</c> for one account and hands each answer to an <see cref="ISyncResponseHandler"/>. The
/// next request uses an answer's <c>next_batch</c> only after the handler returned, so a crash or a handler
/// failure never skips a to-device message (it comes again) and a committed one never comes again (the
/// handler committed its token with it). Network failures, timeouts, 5xx and 429 are retried with exponential
/// backoff (and the server's Retry-After); a rejected token or another 4xx stops the loop with that error.
/// </summary>
public sealed class SyncLoop
{
    private readonly MatrixClient _client;
    private readonly ISyncResponseHandler _handler;
    private readonly SyncLoopOptions _options;
    private readonly ILogger _logger;

    public SyncLoop(MatrixClient client, ISyncResponseHandler handler, SyncLoopOptions? options = null, ILogger? logger = null)
    {
        _client = client;
        _handler = handler;
        _options = options ?? new SyncLoopOptions();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The token the next request will use.</summary>
    public string? Since { get; private set; }

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled (then returns normally) or a permanent error
    /// occurs (then throws it, e.g. a <see cref="MatrixException"/> with <see cref="MatrixException.IsUnknownToken"/>).
    /// </summary>
    /// <param name="since">The token the handler persisted last time, or null for a first, full sync.</param>
    /// <param name="cancellationToken">Stops the loop.</param>
    public async Task RunAsync(string? since, CancellationToken cancellationToken)
    {
        Since = since;
        var failures = 0;
        var handlerFailures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan? retryAfter = null;
            try
            {
                var response = await _client.SyncAsync(Since, _options.Filter, _options.Timeout, cancellationToken)
                    .ConfigureAwait(false);
                try
                {
                    await _handler.HandleAsync(response, Since, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    failures++;
                    handlerFailures++;
                    // Once per outage (a database away fails every retry the same way), then quietly until it passes.
                    if (handlerFailures == 1)
                    {
                        _logger.LogError(failure, "Sync handler failed for batch after {Since}: {Error}; asking again with the same token until it succeeds",
                            Since, failure.Message);
                    }
                    else
                    {
                        _logger.LogDebug("Sync handler failed again (attempt {Attempts}): {Error}", handlerFailures, failure.Message);
                    }

                    await WaitAsync(failures, null, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (handlerFailures > 0)
                {
                    _logger.LogInformation("Sync handler succeeded again after {Attempts} failed attempts; the batch after {Since} is committed",
                        handlerFailures, Since);
                    handlerFailures = 0;
                }

                Since = response.NextBatch;
                failures = 0;
                continue;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure) when (MatrixHttp.IsTransient(failure))
            {
                failures++;
                retryAfter = (failure as MatrixException)?.RetryAfter;
                _logger.LogWarning("Sync failed ({Error}), attempt {Failures}", failure.Message, failures);
            }

            await WaitAsync(failures, retryAfter, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WaitAsync(int failures, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        try
        {
            await _client.Http.Options.Delay(_options.Backoff.DelayFor(failures, retryAfter), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: RunAsync's loop condition ends it.
        }
    }
}
