using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>
/// A badge connection's socket as a stream served by <see cref="ReceiveLoop"/> rather than .NET's socket engine: the
/// socket is non-blocking and never given to .NET's asynchronous socket methods (so .NET's epoll never registers it).
/// A read takes what the socket holds at once; when it holds nothing the read waits, and the loop thread receives into
/// its buffer when the socket becomes readable and completes it.
/// <para>
/// What runs on the loop thread: once the connection is authenticated (<see cref="CompleteReadsOnLoop"/>), the read's
/// continuation, synchronously: SslStream's decryption, MQTTnet's receive loop and packet handling (the uplink
/// interception, the engine's Post) up to the next read that has to wait or the first await that does not complete at
/// once, after which the loop goes on. Until then (the TLS handshake, CONNECT, the secret check) a completed read's
/// continuation goes to the thread pool, so that no slow or blocking step before login holds the loop.
/// </para>
/// <para>
/// Writes are non-blocking sends from the writer's thread; when the socket is full the rest is sent from the loop as
/// the socket drains, and the write completes on the thread pool (what waits for it is a sender, not the receive path).
/// EOF reads 0 bytes; an error or a closing during a read fails it with an <see cref="IOException"/> around the
/// <see cref="SocketException"/>, as <c>NetworkStream</c> does; a cancelled read fails with
/// <see cref="OperationCanceledException"/>. Closing unregisters the socket from epoll before closing it, under the
/// stream's lock, so the loop never acts on a number the kernel may have given to another socket.
/// </para>
/// </summary>
internal sealed class LoopSocketStream : Stream, IValueTaskSource<int>
{
    private static readonly Action<object?> s_cancelRead = state => ((LoopSocketStream)state!).CancelRead();
    private readonly Socket _socket;
    private readonly ReceiveLoop _loop;
    private readonly nint _fd;
    private readonly object _gate = new();
    private readonly PendingWrite _write = new();
    private ManualResetValueTaskSourceCore<int> _read;
    private Memory<byte> _readInto;
    private CancellationToken _readCancellation;
    private CancellationTokenRegistration _readRegistration;
    private bool _reading;
    private bool _writing;
    private bool _closed;
    private bool _readsOnLoop;

    // False once a receive found the socket drained, until the loop sees it readable again: a read then waits at once,
    // without a receive that would find nothing. True at first, so that an edge before the key was known is not missed.
    private bool _mayHaveData = true;

    // The peer closed its side or the connection failed: no edge follows the one that said so, and a short read may have
    // left the EOF (or the error) behind it, so every read from now on tries the socket.
    private bool _hungUp;

    public LoopSocketStream(Socket socket, ReceiveLoop loop)
    {
        socket.Blocking = false;
        _socket = socket;
        _loop = loop;
        _fd = socket.SafeHandle.DangerousGetHandle();
        Key = loop.Register(this, _fd);
    }

    /// <summary>This stream's key in its loop.</summary>
    public ulong Key { get; }

    /// <summary>The connection is authenticated: from now on reads complete on the loop thread.</summary>
    public void CompleteReadsOnLoop() => Volatile.Write(ref _readsOnLoop, true);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        lock (_gate)
        {
            if (_closed)
            {
                return ValueTask.FromException<int>(new ObjectDisposedException(nameof(LoopSocketStream)));
            }

            if (buffer.IsEmpty)
            {
                // A zero-byte read (SslStream's, while idle) only waits for data: it ends when some is there.
                if ((_mayHaveData || _hungUp) && HasData())
                {
                    return ValueTask.FromResult(0);
                }
            }
            else if (_mayHaveData || _hungUp)
            {
                var received = Receive(buffer.Span, out var error);
                if (error == SocketError.Success)
                {
                    return ValueTask.FromResult(received);
                }

                if (error != SocketError.WouldBlock)
                {
                    return ValueTask.FromException<int>(Failed("read from", error));
                }
            }

            _read.Reset();
            _read.RunContinuationsAsynchronously = !_readsOnLoop;
            _readInto = buffer;
            _readCancellation = cancellationToken;
            _reading = true;
            if (cancellationToken.CanBeCanceled)
            {
                _readRegistration = cancellationToken.UnsafeRegister(s_cancelRead, this);
            }

            return new ValueTask<int>(this, _read.Version);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return ValueTask.FromException(new ObjectDisposedException(nameof(LoopSocketStream)));
            }

            var sent = Send(buffer.Span, out var error);
            if (error == SocketError.Success)
            {
                return ValueTask.CompletedTask;
            }

            if (error != SocketError.WouldBlock)
            {
                return ValueTask.FromException(Failed("write to", error));
            }

            // Full: the loop sends the rest when the socket has room (an output edge follows a send that found it full).
            _writing = true;
            return _write.Start(buffer[sent..]);
        }
    }

    /// <summary>On the loop thread: the socket's readiness changed (<paramref name="events"/>, epoll's mask).</summary>
    public void OnReady(uint events)
    {
        var readDone = false;
        var read = 0;
        Exception? readFailure = null;
        var writeDone = false;
        Exception? writeFailure = null;
        CancellationTokenRegistration registration = default;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            if ((events & (Epoll.In | Epoll.ReadHangUp | Epoll.HangUp | Epoll.Error)) != 0)
            {
                _hungUp |= (events & (Epoll.ReadHangUp | Epoll.HangUp | Epoll.Error)) != 0;
                if (!_reading)
                {
                    _mayHaveData = true;
                }
                else if (_readInto.IsEmpty)
                {
                    readDone = HasData(); // a zero-byte read: the read that follows receives
                }
                else
                {
                    read = Receive(_readInto.Span, out var error);
                    readDone = error != SocketError.WouldBlock;
                    readFailure = readDone && error != SocketError.Success ? Failed("read from", error) : null;
                }

                if (readDone)
                {
                    _reading = false;
                    _readInto = default;
                    registration = _readRegistration;
                    _readRegistration = default;
                }
            }

            if (_writing && (events & (Epoll.Out | Epoll.HangUp | Epoll.Error)) != 0)
            {
                var rest = _write.Rest;
                var sent = Send(rest.Span, out var error);
                if (error == SocketError.WouldBlock)
                {
                    _write.Rest = rest[sent..];
                }
                else
                {
                    writeDone = true;
                    writeFailure = error == SocketError.Success ? null : Failed("write to", error);
                    _writing = false;
                }
            }
        }

        if (writeDone)
        {
            _write.Finish(writeFailure);
        }

        if (readDone)
        {
            registration.Unregister();
            if (readFailure is null)
            {
                _read.SetResult(read);
            }
            else
            {
                _read.SetException(readFailure);
            }
        }
    }

    private void CancelRead()
    {
        CancellationToken token;
        lock (_gate)
        {
            if (!_reading || !_readCancellation.IsCancellationRequested)
            {
                return;
            }

            _reading = false;
            _readInto = default;
            token = _readCancellation;
        }

        _read.SetException(new OperationCanceledException(token));
    }

    // Under the lock.
    private int Receive(Span<byte> into, out SocketError error)
    {
        var received = _socket.Receive(into, SocketFlags.None, out error);
        // Less than asked for: the socket was drained (what arrives later comes with an edge); at EOF or after an error
        // the socket is read again each time (0 bytes, as a NetworkStream reads).
        _mayHaveData = error == SocketError.Success ? received == into.Length || received == 0 : error != SocketError.WouldBlock;

        return received;
    }

    // Under the lock. An edge may be stale (for bytes a read took before the loop saw it), and a read that took
    // everything leaves no mark: a zero-byte read asks the socket whether it holds anything. Data arriving after the
    // look brings an edge of its own.
    private bool HasData()
    {
        if (_hungUp)
        {
            return true;
        }

        _mayHaveData = _socket.Available > 0;
        return _mayHaveData;
    }

    // Under the lock: sends until all is sent, the socket is full (WouldBlock, returning what was sent) or fails.
    private int Send(ReadOnlySpan<byte> bytes, out SocketError error)
    {
        var sent = 0;
        error = SocketError.Success;
        while (sent < bytes.Length)
        {
            sent += _socket.Send(bytes[sent..], SocketFlags.None, out error);
            if (error != SocketError.Success)
            {
                break;
            }
        }

        return sent;
    }

    private static IOException Failed(string what, SocketError error) =>
        new($"Unable to {what} the transport connection: {error}.", new SocketException((int)error));

    protected override void Dispose(bool disposing)
    {
        bool reading;
        bool writing;
        CancellationTokenRegistration registration;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _loop.Unregister(_fd, Key);
            _socket.Dispose();
            reading = _reading;
            writing = _writing;
            _reading = false;
            _writing = false;
            _readInto = default;
            registration = _readRegistration;
            _readRegistration = default;
        }

        registration.Unregister();
        if (reading)
        {
            _read.SetException(Failed("read from", SocketError.OperationAborted));
        }

        if (writing)
        {
            _write.Finish(Failed("write to", SocketError.OperationAborted));
        }

        base.Dispose(disposing);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Nothing here reads or writes synchronously; these block the caller until the asynchronous call completes.
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    int IValueTaskSource<int>.GetResult(short token) => _read.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _read.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _read.OnCompleted(continuation, state, token, flags);

    /// <summary>The write waiting for room in the socket: what is left of it, and its completion (on the thread pool).</summary>
    private sealed class PendingWrite : IValueTaskSource
    {
        private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };

        public ReadOnlyMemory<byte> Rest { get; set; }

        public ValueTask Start(ReadOnlyMemory<byte> rest)
        {
            _core.Reset();
            Rest = rest;
            return new ValueTask(this, _core.Version);
        }

        public void Finish(Exception? failure)
        {
            Rest = default;
            if (failure is null)
            {
                _core.SetResult(true);
            }
            else
            {
                _core.SetException(failure);
            }
        }

        public void GetResult(short token) => _core.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
