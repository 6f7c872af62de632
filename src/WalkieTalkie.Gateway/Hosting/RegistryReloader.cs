using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>
/// Hands the engine a new registry whenever it changes (a CLI edit, the console, a permit mirrored from a room), so
/// changes take effect while the service runs.
/// </summary>
public sealed class RegistryReloader(IRegistryChanges changes, IRegistryReader registry, StorageWorker worker, GatewayEngine engine,
    ILogger<RegistryReloader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var version = engine.Registry.Version;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await changes.WaitForChangeAsync(version, stoppingToken);
                var snapshot = await worker.RunAsync(registry.Load).WaitAsync(stoppingToken);
                version = snapshot.Version;
                engine.Reload(snapshot);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Registry reload failed, will retry: {Error}", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
