using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Engine;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>
/// Runs the engine's loop. A stop ends every burst cleanly first (recordings finished, talkers and listeners told),
/// bounded: an engine far behind is stopped anyway, and the next start recovers what it left.
/// </summary>
public sealed class EngineLoopService(GatewayEngine engine, ILogger<EngineLoopService> logger) : IHostedService
{
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(() => engine.RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await engine.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("The engine did not finish its bursts within 10 s; stopping anyway");
        }

        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
