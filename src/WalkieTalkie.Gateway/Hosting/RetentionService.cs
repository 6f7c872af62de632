using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>
/// Deletes recordings past their channel's retention at start and then every <see cref="GatewayOptions.RetentionCheckMinutes"/>,
/// on the storage worker (a batch at a time, so a burst's frames are written in between).
/// </summary>
public sealed class RetentionService(RecordingRetention retention, StorageWorker worker, IOptions<GatewayOptions> options, TimeProvider time,
    ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.RetentionCheckMinutes), time);
        try
        {
            do
            {
                await PruneAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PruneAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await worker.RunAsync(retention.PruneBatch).WaitAsync(stoppingToken) == RecordingRetention.Batch)
            {
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Deleting expired recordings failed, tried again later: {Error}", e.Message);
        }
    }
}
