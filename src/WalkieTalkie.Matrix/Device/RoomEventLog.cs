namespace WalkieTalkie.Matrix.Device;

/// <summary>The device's most recent received room events, and waits for one that matches a condition (past or
/// future), for callers that need to act on a particular event.</summary>
internal sealed class RoomEventLog
{
    private readonly object _gate = new();
    private readonly LinkedList<DeviceRoomEvent> _recent = new();
    private readonly List<(Func<DeviceRoomEvent, bool> Match, TaskCompletionSource<DeviceRoomEvent> Done)> _waiters = [];
    private readonly int _capacity;

    public RoomEventLog(int capacity) => _capacity = Math.Max(1, capacity);

    public void Add(DeviceRoomEvent received)
    {
        List<TaskCompletionSource<DeviceRoomEvent>> done = [];
        lock (_gate)
        {
            if (_recent.Any(e => e.EventId == received.EventId))
            {
                return;
            }

            _recent.AddLast(received);
            while (_recent.Count > _capacity)
            {
                _recent.RemoveFirst();
            }

            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(received))
                {
                    continue;
                }

                done.Add(_waiters[i].Done);
                _waiters.RemoveAt(i);
            }
        }
        foreach (var waiter in done)
        {
            waiter.TrySetResult(received);
        }
    }

    public async Task<DeviceRoomEvent> WaitAsync(Func<DeviceRoomEvent, bool> match, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<DeviceRoomEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_recent.FirstOrDefault(match) is { } seen)
            {
                return seen;
            }

            _waiters.Add((match, done));
        }
        try
        {
            return await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Done == done);
            }
        }
    }
}
