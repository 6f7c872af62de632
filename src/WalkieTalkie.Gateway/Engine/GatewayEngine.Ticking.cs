namespace WalkieTalkie.Gateway.Engine;

// The ticker moves timers on only as often as what is timed needs. Paced work (a voice message waiting or playing, a
// private reply, a replay or late join streamed at the frame rate, another site's burst, channel leases) needs a tick
// every 20 ms. A local burst alone needs only its floor judged (a lease of 1.5 s by default, a first-frame grace, the
// maximum talk time): every 100 ms is enough, and a talking gateway then does not wake its timer thread and its loop
// fifty times a second besides the frames themselves. With nothing timed a slow tick
// is enough (permits that end and quiet hours are judged to the second, the floor across sites probes its peers'
// clocks every second or so), and an idle gateway does not wake two threads fifty times a second. The loop notes after
// each event what ticks it needs; the ticker reads that, and is woken at once when the need rises.
public sealed partial class GatewayEngine
{
    private const int NothingTimed = 0;
    private const int FloorTimed = 1;
    private const int PacedTimed = 2;

    private volatile int _tickNeed;
    private TaskCompletionSource _fastTicksWanted = NewTicksSignal();
    private TaskCompletionSource _pacedTicksWanted = NewTicksSignal();

    /// <summary>Whether the engine has something timed (a floor held at least), as of the last event its loop took.</summary>
    public bool NeedsFastTicks => _tickNeed != NothingTimed;

    /// <summary>Whether what is timed is paced at the frame rate (every 20 ms), not only a floor to judge.</summary>
    public bool NeedsPacedTicks => _tickNeed == PacedTimed;

    /// <summary>Ends as soon as <see cref="NeedsFastTicks"/> is true (at once if it is now).</summary>
    public Task FastTicksWanted()
    {
        // Read before the flag: a loop that sets the flag after we read it completes this very signal.
        var signal = Volatile.Read(ref _fastTicksWanted).Task;
        return NeedsFastTicks ? Task.CompletedTask : signal;
    }

    /// <summary>Ends as soon as <see cref="NeedsPacedTicks"/> is true (at once if it is now).</summary>
    public Task PacedTicksWanted()
    {
        var signal = Volatile.Read(ref _pacedTicksWanted).Task;
        return NeedsPacedTicks ? Task.CompletedTask : signal;
    }

    private void NoteTimedWork()
    {
        var need = TickNeed();
        var was = _tickNeed;
        if (need == was)
        {
            return;
        }

        _tickNeed = need;
        if (was == NothingTimed)
        {
            Interlocked.Exchange(ref _fastTicksWanted, NewTicksSignal()).TrySetResult();
        }

        if (need == PacedTimed)
        {
            Interlocked.Exchange(ref _pacedTicksWanted, NewTicksSignal()).TrySetResult();
        }
    }

    private int TickNeed()
    {
        if (_replies.Count > 0 || _playbacks.Count > 0 || _audioPlaying.Count > 0 || _remoteBursts.Count > 0 || _remoteWaiting.Count > 0
            || !_ownership.Alone || AnyQueuedAudio())
        {
            return PacedTimed;
        }

        // The floor across sites probes its peers' clocks every second or so: a floor's ticks serve it too.
        return _floor.Holds.Count > 0 || _bursts.Count > 0 ? FloorTimed : NothingTimed;
    }

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

    private static TaskCompletionSource NewTicksSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
