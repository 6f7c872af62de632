using Microsoft.Extensions.Hosting;
using WalkieTalkie.Gateway.Engine;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>Moves the engine's floor timers and paced streams on, every 20 ms.</summary>
public sealed class EngineTicker(GatewayEngine engine, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                engine.Tick();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
