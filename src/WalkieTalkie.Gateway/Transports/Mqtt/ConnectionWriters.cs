namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>
/// A few dedicated threads that hand messages to listeners' connections, so that a frame's socket writes to many
/// listeners run side by side rather than one after another on the engine's loop (which on a busy machine gets one
/// thread's share of the CPU). Each connection belongs to one writer for its life (its number modulo the count), and a
/// writer hands its items on in the order they were posted, so what one connection is sent keeps its order. Each writer
/// has a preallocated ring of (target, payload, kind) items: posting allocates nothing, the payload array is shared by
/// reference (the engine never changes a frame once sent), and a writer is woken only when it had gone to sleep, at
/// most once per frame rather than once per listener. A target whose socket is full does not hold the writer up: the
/// hand-on (<c>deliver</c>) never waits.
/// </summary>
internal sealed class ConnectionWriters<T> : IDisposable where T : class
{
    private readonly Writer[] _writers;

    /// <param name="count">How many writer threads.</param>
    /// <param name="capacity">Items each writer's ring holds; a producer that finds it full waits for room.</param>
    /// <param name="deliver">Called on the owning writer's thread for each item, in the order posted: must not block.</param>
    public ConnectionWriters(int count, int capacity, Action<T, byte[], bool> deliver)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _writers = new Writer[count];
        for (var i = 0; i < count; i++)
        {
            _writers[i] = new Writer(i + 1, capacity, deliver);
        }
    }

    /// <summary>About one writer per core, at most 4: more threads than cores only adds switches.</summary>
    public static int DefaultCount => Math.Clamp(Environment.ProcessorCount, 1, 4);

    public int Count => _writers.Length;

    /// <summary>
    /// Hands <paramref name="payload"/> to the writer that owns connection <paramref name="owner"/>, behind whatever that
    /// writer holds already; false once the writers are stopping (nothing was posted).
    /// </summary>
    public bool Post(int owner, T target, byte[] payload, bool audio) =>
        _writers[(int)((uint)owner % (uint)_writers.Length)].Post(target, payload, audio);

    /// <summary>Lets each writer hand on what it holds, then ends its thread.</summary>
    public void Dispose()
    {
        foreach (var writer in _writers)
        {
            writer.Stop();
        }

        foreach (var writer in _writers)
        {
            writer.Join();
        }
    }

    private struct Item
    {
        public T? Target;
        public byte[]? Payload;
        public bool Audio;
    }

    private sealed class Writer
    {
        private readonly Item[] _ring;
        private readonly Action<T, byte[], bool> _deliver;
        private readonly Thread _thread;
        private readonly object _gate = new();
        private long _posted;
        private long _taken;
        private bool _sleeping;
        private bool _stopping;

        public Writer(int number, int capacity, Action<T, byte[], bool> deliver)
        {
            _ring = new Item[capacity];
            _deliver = deliver;
            _thread = new Thread(Run) { IsBackground = true, Name = $"walkie writer {number}" };
            _thread.Start();
        }

        public bool Post(T target, byte[] payload, bool audio)
        {
            lock (_gate)
            {
                while (_posted - _taken == _ring.Length && !_stopping)
                {
                    Monitor.Wait(_gate); // the writer pulses when it frees room
                }

                if (_stopping)
                {
                    return false;
                }

                ref var item = ref _ring[_posted % _ring.Length];
                item.Target = target;
                item.Payload = payload;
                item.Audio = audio;
                _posted++;
                if (_sleeping)
                {
                    _sleeping = false;
                    Monitor.PulseAll(_gate);
                }

                return true;
            }
        }

        public void Stop()
        {
            lock (_gate)
            {
                _stopping = true;
                Monitor.PulseAll(_gate);
            }
        }

        public void Join() => _thread.Join();

        private void Run()
        {
            while (true)
            {
                long from;
                long to;
                lock (_gate)
                {
                    while (_posted == _taken && !_stopping)
                    {
                        _sleeping = true;
                        Monitor.Wait(_gate);
                    }

                    if (_posted == _taken)
                    {
                        return;
                    }

                    from = _taken;
                    to = _posted;
                }

                // Items between from and to are the writer's alone until it moves _taken past them.
                for (var at = from; at < to; at++)
                {
                    ref var item = ref _ring[at % _ring.Length];
                    var target = item.Target!;
                    var payload = item.Payload!;
                    item.Target = null;
                    item.Payload = null;
                    try
                    {
                        _deliver(target, payload, item.Audio);
                    }
                    catch (Exception)
                    {
                        // deliver reports its own failures; one item's must not end the writer.
                    }
                }

                lock (_gate)
                {
                    var wasFull = _posted - _taken == _ring.Length;
                    _taken = to;
                    if (wasFull)
                    {
                        Monitor.PulseAll(_gate);
                    }
                }
            }
        }
    }
}
