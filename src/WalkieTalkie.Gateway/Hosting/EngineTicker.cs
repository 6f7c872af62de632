using Microsoft.Extensions.Hosting;
using WalkieTalkie.Gateway.Engine;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>
/// Moves the engine's floor timers and paced streams on: every 20 ms while the engine has paced work
/// (<see cref="GatewayEngine.NeedsPacedTicks"/>), every 100 ms while it has only a floor to judge
/// (<see cref="GatewayEngine.NeedsFastTicks"/>), woken at once when either starts; every half second otherwise, for
/// what is judged to the second (permits that end, quiet hours).
/// </summary>
/// <remarks>
/// One timer for the ticker's whole life, re-armed after each tick. Waiting on a new delay, a linked cancellation and
/// a <c>WhenAny</c> per tick (as before) cost four thread wake-ups a tick (the timer thread woken to arm each new
/// timer, the pool to fire it, again to resume the wait, again to cancel it): at ten ticks a second during a burst,
/// more than one per audio frame. Now a tick is the timer firing, and nothing is allocated per tick.
/// </remarks>
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

    private readonly Lock _gate = new();
    private ITimer? _timer;
    private TimeSpan _armed;
    private Task? _watched;
    private bool _stopped;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        lock (_gate)
        {
            _timer = time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Arm();
        }

        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            lock (_gate)
            {
                _stopped = true;
                _timer.Dispose();
            }
        }
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            engine.Tick();
            Arm();
        }
    }

    // Under _gate. The paced period runs as a periodic timer (its ticks keep their schedule while the need lasts); the
    // others fire once and are re-armed, early when the engine's need rises before they are due.
    private void Arm()
    {
        var period = engine.NeedsPacedTicks ? Period : engine.NeedsFastTicks ? HeldPeriod : IdlePeriod;
        if (period == Period && _armed == Period)
        {
            return;
        }

        _armed = period;
        _timer!.Change(period, period == Period ? Period : Timeout.InfiniteTimeSpan);
        WatchForRisingNeed(period == IdlePeriod ? engine.FastTicksWanted() : period == HeldPeriod ? engine.PacedTicksWanted() : null);
    }

    // The engine's signal stays the same task until the need rises, so it is watched once, not once a tick.
    private void WatchForRisingNeed(Task? wanted)
    {
        if (wanted is null)
        {
            return;
        }

        if (wanted.IsCompleted)
        {
            // It rose between the read of the need and of the signal: tick now.
            _armed = TimeSpan.Zero;
            _timer!.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            return;
        }

        if (ReferenceEquals(wanted, _watched))
        {
            return;
        }

        _watched = wanted;
        wanted.ContinueWith(static (_, state) => ((EngineTicker)state!).TickNow(), this, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void TickNow()
    {
        lock (_gate)
        {
            if (!_stopped)
            {
                _armed = TimeSpan.Zero;
                _timer!.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            }
        }
    }
}
