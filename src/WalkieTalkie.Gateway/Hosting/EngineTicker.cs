using Microsoft.Extensions.Hosting;
using WalkieTalkie.Gateway.Engine;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>
/// Moves the engine's floor timers and paced streams on: every 20 ms while the engine has paced work
/// (<see cref="GatewayEngine.NeedsPacedTicks"/>); otherwise once, when something falls due
/// (<see cref="GatewayEngine.NextTickDue"/>: a floor's talk limit or lease, the once-a-second checks). The engine's
/// loop rouses it when paced work starts or something falls due sooner than it is armed for.
/// </summary>
/// <remarks>
/// One timer for the ticker's whole life, re-armed, and nothing allocated per tick. After a single tick the ticker
/// waits for the loop, which rouses it with the next due moment once it has taken the tick. A frame that renews a
/// lease moves that moment later without rousing anyone: the timer fires at the old moment and is armed again then.
/// So a burst is judged about once a second (the checks' pace), where a tick every 100 ms while a floor was held cost
/// ten wake-ups of the timer thread and the loop a second.
/// </remarks>
public sealed class EngineTicker(GatewayEngine engine, TimeProvider time) : BackgroundService, ITickAlarm
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(20);

    /// <summary>The soonest a single tick is armed for: what falls due sooner (or is past) waits this long.</summary>
    public static readonly TimeSpan MinWait = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// The longest a single tick is armed for, whatever is due: the engine's checks are a second apart, so this only
    /// matters when the wall clock jumps back (more than a second and <see cref="Late"/>, so that it never cuts those).
    /// </summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A timer may fire a few milliseconds early by the wall clock (the runtime counts in coarse ticks): a tick armed
    /// this much past its due moment finds it due, instead of nothing and another tick 20 ms later.
    /// </summary>
    public static readonly TimeSpan Late = TimeSpan.FromMilliseconds(5);

    private readonly Lock _gate = new();
    private ITimer? _timer;
    private bool _paced;
    private DateTimeOffset _covers = DateTimeOffset.MaxValue;
    private bool _stopped;

    /// <summary>
    /// Armed before the host goes on: since .NET 10 a <see cref="BackgroundService"/> runs the whole of its
    /// <c>ExecuteAsync</c> on the pool, and a ticker armed there armed whenever a pool thread came, the floors granted
    /// meanwhile judged only from then on.
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _timer = CreateTimer(time, OnTimer);
        }

        engine.SetTickAlarm(this);
        Rouse();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
                _timer!.Dispose();
            }
        }
    }

    public void Rouse()
    {
        lock (_gate)
        {
            if (_stopped || _timer is null)
            {
                return;
            }

            if (engine.NeedsPacedTicks)
            {
                if (!_paced)
                {
                    // Its ticks keep their schedule while the need lasts; the first one now.
                    _paced = true;
                    Cover(DateTimeOffset.MinValue);
                    _timer.Change(TimeSpan.Zero, Period);
                }

                return;
            }

            if (_paced)
            {
                return; // its next tick finds the paced work over
            }

            var due = engine.NextTickDue;
            if (due >= _covers)
            {
                return;
            }

            Cover(due);
            _timer.Change(Wait(due - time.GetUtcNow()), Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// On the system's clock, a timer with a thread of its own ("walkie ticker"): a tick is then one thread's wake-up,
    /// where a pool timer's was four or five (the timer thread twice, a pool worker or two, the pool's gate thread). With
    /// nobody talking, the pool's, the timer's and the ticker's threads went from 0.82-0.84 to 0.48-0.56 ms of CPU a
    /// second (docs/benchmarks.md). A provider of its own (a test's fake clock) keeps its timers.
    /// </summary>
    internal static ITimer CreateTimer(TimeProvider time, Action onTimer) =>
        time == TimeProvider.System
            ? new DedicatedThreadTimer("walkie ticker", onTimer)
            : time.CreateTimer(_ => onTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    private static TimeSpan Wait(TimeSpan untilDue)
    {
        var wait = untilDue + Late;
        return wait < MinWait ? MinWait : wait > MaxWait ? MaxWait : wait;
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            if (!_paced || !engine.NeedsPacedTicks)
            {
                // Whatever it judges moves the next due moment: the loop rouses the ticker once it has taken this tick.
                // Noted before the tick is posted, so that the loop cannot read the old moment after taking it.
                if (_paced)
                {
                    _paced = false;
                    _timer!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                }

                Cover(DateTimeOffset.MaxValue);
            }
        }

        // Outside the lock: an idle engine handles the tick on this very thread (its loop runs on the thread that posts
        // to it), and its loop rouses the ticker, which must not wait for anyone then. A rouse between the lock and the
        // tick arms the timer for a moment the tick is about to judge: one tick more, none missed.
        engine.Tick();
    }

    // Under _gate.
    private void Cover(DateTimeOffset due)
    {
        _covers = due;
        engine.TickAlarmCovers(due);
    }
}
