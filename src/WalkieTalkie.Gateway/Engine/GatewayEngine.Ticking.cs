namespace WalkieTalkie.Gateway.Engine;

// The ticker moves timers on every 20 ms only while something is timed: a floor held, a burst, private reply or stream
// in progress (another site's too), a voice message waiting or playing, channel leases to watch. Otherwise a slow tick
// is enough (permits that end and quiet hours are judged to the second, the floor across sites probes its peers'
// clocks every second or so), and an idle gateway does not wake two threads fifty times a second. The loop notes after
// each event whether it needs the fast ticks; the ticker reads that.
public sealed partial class GatewayEngine
{
    private volatile bool _needsFastTicks;
    private TaskCompletionSource _fastTicksWanted = NewFastTicksSignal();

    /// <summary>Whether the engine has something timed, as of the last event its loop took.</summary>
    public bool NeedsFastTicks => _needsFastTicks;

    /// <summary>Ends as soon as <see cref="NeedsFastTicks"/> is true (at once if it is now).</summary>
    public Task FastTicksWanted()
    {
        // Read before the flag: a loop that sets the flag after we read it completes this very signal.
        var signal = Volatile.Read(ref _fastTicksWanted).Task;
        return _needsFastTicks ? Task.CompletedTask : signal;
    }

    private void NoteTimedWork()
    {
        var timed = HasTimedWork();
        if (timed == _needsFastTicks)
        {
            return;
        }

        _needsFastTicks = timed;
        if (timed)
        {
            Interlocked.Exchange(ref _fastTicksWanted, NewFastTicksSignal()).TrySetResult();
        }
    }

    private bool HasTimedWork() =>
        _floor.Holds.Count > 0 || _bursts.Count > 0 || _replies.Count > 0 || _playbacks.Count > 0 || _audioPlaying.Count > 0
        || _remoteBursts.Count > 0 || _remoteWaiting.Count > 0 || !_ownership.Alone || AnyQueuedAudio();

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

    private static TaskCompletionSource NewFastTicksSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
