using Microsoft.Extensions.Hosting;
using WalkieTalkie.Gateway.Engine;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>
/// Moves the engine's floor timers and paced streams on: every 20 ms while the engine has paced work
/// (<see cref="GatewayEngine.NeedsPacedTicks"/>), every 100 ms while it has only a floor to judge
/// (<see cref="GatewayEngine.NeedsFastTicks"/>), woken at once when either starts; every half second otherwise, for
/// what is judged to the second (permits that end, quiet hours).
/// </summary>
public sealed class EngineTicker(GatewayEngine engine, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// While only a floor is held: its lease (1.5 s by default), first-frame grace and maximum talk time are judged this
    /// late at most, which nobody hears; ticking at the frame rate for them cost a talking gateway as many wake-ups as
    /// its frames did.
    /// </summary>
    public static readonly TimeSpan HeldPeriod = TimeSpan.FromMilliseconds(100);

    /// <summary>Half the engine's one-second checks, so that a slow tick never lets one of them slip by a second.</summary>
    public static readonly TimeSpan IdlePeriod = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await WaitAsync(engine.FastTicksWanted(), IdlePeriod, stoppingToken);
                engine.Tick();
                while (engine.NeedsFastTicks && !engine.NeedsPacedTicks)
                {
                    await WaitAsync(engine.PacedTicksWanted(), HeldPeriod, stoppingToken);
                    engine.Tick();
                }

                if (engine.NeedsPacedTicks)
                {
                    using var timer = new PeriodicTimer(Period, time);
                    while (engine.NeedsPacedTicks && await timer.WaitForNextTickAsync(stoppingToken))
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

    /// <summary>Waits <paramref name="period"/>, or less if <paramref name="wanted"/> ends first.</summary>
    private async Task WaitAsync(Task wanted, TimeSpan period, CancellationToken stoppingToken)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        await Task.WhenAny(wanted, Task.Delay(period, time, wake.Token));
        await wake.CancelAsync(); // the timer goes at once rather than firing later for nobody
        stoppingToken.ThrowIfCancellationRequested();
    }
}
