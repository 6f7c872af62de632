namespace WalkieTalkie.Gateway.Engine;

// The ticker moves timers on only when something is due. Paced work (a voice message waiting or playing, a private
// reply, a replay or late join streamed at the frame rate, another site's burst, channel leases) needs a tick every
// 20 ms. Anything else is judged at known moments, so the loop notes after each event the earliest one: a held
// floor's talk limit, its lease's end as of its last frame (its first-frame grace's before that), and the checks made
// once a second (permits that end and quiet hours, judged to the second; the same tick serves the floor across sites,
// which probes its peers' clocks every ten seconds by default). The ticker arms one timer for that moment, and the
// loop rouses it only when something falls due sooner than that: a frame that renews a lease moves the moment later,
// so the timer fires at the old one, the tick finds nothing to end, and the ticker is armed again. A talking gateway
// then ticks about once a second, as an idle one does, not ten times.
public sealed partial class GatewayEngine
{
    /// <summary>How often permits that end and quiet hours are looked at.</summary>
    internal static readonly TimeSpan ChecksEvery = TimeSpan.FromSeconds(1);

    private volatile bool _needsPacedTicks;

    // A tick posted and not taken yet: the loop rouses the alarm after taking it, not before (it would arm the alarm
    // for what that tick is about to judge).
    private volatile bool _tickQueued;
    private ITickAlarm? _alarm;

    // UTC ticks, written by the loop: when a tick next has something to judge.
    private long _nextTickDue = DateTimeOffset.MinValue.UtcTicks;

    // UTC ticks, written by the alarm: the due moment its timer is armed for (MaxValue: none until roused; MinValue:
    // paced ticks run, which cover everything).
    private long _alarmCovers = DateTimeOffset.MaxValue.UtcTicks;

    /// <summary>Whether the engine has work paced at the frame rate (a tick every 20 ms), as of the last event its loop took.</summary>
    public bool NeedsPacedTicks => _needsPacedTicks;

    /// <summary>
    /// The earliest moment a tick has something to judge besides paced work (a floor's limits, the once-a-second
    /// checks), as of the last event the loop took; it may be past.
    /// </summary>
    public DateTimeOffset NextTickDue => new(Volatile.Read(ref _nextTickDue), TimeSpan.Zero);

    /// <summary>The ticker the loop rouses when paced ticks are wanted or something falls due sooner than it is armed for.</summary>
    public void SetTickAlarm(ITickAlarm alarm) => Volatile.Write(ref _alarm, alarm);

    /// <summary>
    /// The alarm says which due moment its timer covers now: <see cref="DateTimeOffset.MaxValue"/> when it waits to
    /// be roused (after a tick), <see cref="DateTimeOffset.MinValue"/> while paced ticks run.
    /// </summary>
    public void TickAlarmCovers(DateTimeOffset due) => Volatile.Write(ref _alarmCovers, due.UtcTicks);

    // After each event. Nothing is allocated: it runs for every frame, where the moment only moves later.
    private void NoteTimedWork()
    {
        var paced = NeedsPaced();
        var floorDue = _floor.NextExpiry();
        var checksDue = _lastPermitCheck + ChecksEvery;
        var due = (floorDue < checksDue ? floorDue : checksDue).UtcTicks;
        Volatile.Write(ref _nextTickDue, due);
        var pacedRose = paced && !_needsPacedTicks;
        _needsPacedTicks = paced;
        if (pacedRose || !paced && due < Volatile.Read(ref _alarmCovers) && !_tickQueued)
        {
            Volatile.Read(ref _alarm)?.Rouse();
        }
    }

    private bool NeedsPaced() =>
        _replies.Count > 0 || _playbacks.Count > 0 || _audioPlaying.Count > 0 || _remoteBursts.Count > 0 || _remoteWaiting.Count > 0
        || !_ownership.Alone || AnyQueuedAudio();

    private bool AnyQueuedAudio()
    {
        foreach (var queue in _audioQueues.Values)
        {
            if (queue.Count > 0)
            {
                return true;
            }
        }

        return false;
    }
}
