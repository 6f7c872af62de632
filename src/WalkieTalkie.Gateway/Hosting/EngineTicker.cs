using Microsoft.Extensions.Hosting;
using WalkieTalkie.Gateway.Engine;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>
/// Moves the engine's floor timers and paced streams on: every 20 ms while the engine has something timed
/// (<see cref="GatewayEngine.NeedsFastTicks"/>), woken at once when it starts to; every half second otherwise, for what
/// is judged to the second (permits that end, quiet hours).
/// </summary>
public sealed class EngineTicker(GatewayEngine engine, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(20);

    /// <summary>Half the engine's one-second checks, so that a slow tick never lets one of them slip by a second.</summary>
    public static readonly TimeSpan IdlePeriod = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await WaitWhileIdleAsync(stoppingToken);
                engine.Tick();
                if (engine.NeedsFastTicks)
                {
                    using var timer = new PeriodicTimer(Period, time);
                    while (engine.NeedsFastTicks && await timer.WaitForNextTickAsync(stoppingToken))
                    {
                        engine.Tick();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task WaitWhileIdleAsync(CancellationToken stoppingToken)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        await Task.WhenAny(engine.FastTicksWanted(), Task.Delay(IdlePeriod, time, wake.Token));
        await wake.CancelAsync(); // the idle timer goes at once rather than firing later for nobody
        stoppingToken.ThrowIfCancellationRequested();
    }
}
