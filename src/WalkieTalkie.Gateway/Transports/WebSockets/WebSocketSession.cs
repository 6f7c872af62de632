using System.Net.WebSockets;
using System.Threading.Channels;
using WalkieTalkie.Protocol;

namespace WalkieTalkie.Gateway.Transports.WebSockets;

/// <summary>
/// One browser's connection: its downlink queue and the task that writes it to the socket. The engine only ever
/// enqueues (never waits for the network); a browser that reads too slowly loses its own audio frames once
/// <see cref="WebSocketLimits.MaxQueuedAudioFrames"/> wait, and is disconnected once its control messages pile up, so no
/// browser can stall the engine or hold memory without bound.
/// </summary>
internal sealed class WebSocketSession(string deviceId, WebSocket socket, WebSocketLimits limits)
{
    private static readonly byte[] AudioKind = [(byte)TopicKind.DownAudio];
    private static readonly byte[] ControlKind = [(byte)TopicKind.DownControl];

    private readonly Channel<(bool Audio, byte[] Payload)> _queue =
        Channel.CreateUnbounded<(bool, byte[])>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _closed = new();
    private int _audioQueued;
    private int _controlQueued;
    private long _audioDropped;

    public string DeviceId => deviceId;

    public WebSocket Socket => socket;

    /// <summary>Audio frames given up because the browser did not keep up.</summary>
    public long AudioDropped => Interlocked.Read(ref _audioDropped);

    /// <summary>Cancelled when the session ends (the socket closed, a takeover, an overflow, the gateway stopping).</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Queues an audio frame; false (and counted) when the browser already has its limit waiting.</summary>
    public bool EnqueueAudio(byte[] payload)
    {
        if (Interlocked.Increment(ref _audioQueued) > limits.MaxQueuedAudioFrames)
        {
            Interlocked.Decrement(ref _audioQueued);
            Interlocked.Increment(ref _audioDropped);
            return false;
        }

        if (!_queue.Writer.TryWrite((true, payload)))
        {
            Interlocked.Decrement(ref _audioQueued);
            return false;
        }

        return true;
    }

    /// <summary>Queues a control message; false when the browser has let too many wait (the caller then closes it).</summary>
    public bool EnqueueControl(byte[] payload)
    {
        if (Interlocked.Increment(ref _controlQueued) > limits.MaxQueuedControl)
        {
            return false;
        }

        return _queue.Writer.TryWrite((false, payload));
    }

    /// <summary>Writes the queue to the socket until the session closes.</summary>
    public async Task SendLoopAsync()
    {
        try
        {
            await foreach (var (audio, payload) in _queue.Reader.ReadAllAsync(_closed.Token))
            {
                if (audio)
                {
                    Interlocked.Decrement(ref _audioQueued);
                }
                else
                {
                    Interlocked.Decrement(ref _controlQueued);
                }

                // The kind byte and the payload as two fragments of one message: the payload array is shared by every
                // listener of a burst and never copied.
                await socket.SendAsync(audio ? AudioKind : ControlKind, WebSocketMessageType.Binary, false, _closed.Token);
                await socket.SendAsync(payload, WebSocketMessageType.Binary, true, _closed.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            Close();
        }
    }

    /// <summary>Lets what is queued go out (up to <paramref name="bound"/>), then closes: the gateway's last words at a stop.</summary>
    public async Task FinishAsync(Task sending, TimeSpan bound)
    {
        _queue.Writer.TryComplete();
        await Task.WhenAny(sending, Task.Delay(bound));
        Close();
    }

    /// <summary>Ends the session: the send loop stops and the socket is aborted if still open.</summary>
    public void Close()
    {
        _queue.Writer.TryComplete();
        if (!_closed.IsCancellationRequested)
        {
            _closed.Cancel();
        }
    }
}
