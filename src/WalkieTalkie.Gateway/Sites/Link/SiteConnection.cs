using System.Net.WebSockets;
using System.Threading.Channels;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Sites.Link;

/// <summary>
/// One site link's WebSocket: whole messages in (text up to <see cref="LinkCodec.MaxTextBytes"/>, binary up to one audio
/// frame), and a send queue written by one task, so that the engine only ever enqueues. A peer that does not read loses
/// its newest frames past <paramref name="maxQueuedFrames"/> and is closed when text messages pile up.
/// </summary>
public sealed class SiteConnection(WebSocket socket, int maxQueuedFrames)
{
    private const int MaxQueuedText = 1000;

    private readonly Channel<(bool Text, byte[] Payload)> _queue =
        Channel.CreateUnbounded<(bool, byte[])>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _closed = new();
    private readonly byte[] _buffer = new byte[LinkCodec.MaxTextBytes];
    private int _framesQueued;
    private int _textQueued;
    private long _framesDropped;

    /// <summary>Cancelled when the link ends.</summary>
    public CancellationToken Closed => _closed.Token;

    public long FramesDropped => Interlocked.Read(ref _framesDropped);

    public bool EnqueueFrame(byte[] frame)
    {
        if (Interlocked.Increment(ref _framesQueued) > maxQueuedFrames || !_queue.Writer.TryWrite((false, frame)))
        {
            Interlocked.Decrement(ref _framesQueued);
            Interlocked.Increment(ref _framesDropped);
            return false;
        }

        return true;
    }

    /// <summary>Queues a text message; a peer that lets too many wait is closed.</summary>
    public void Enqueue(LinkMessage message) => EnqueueText(LinkCodec.Write(message));

    /// <summary>Queues a text message already encoded (UTF-8 JSON); false when the link is closed or closes for it.</summary>
    public bool EnqueueText(byte[] utf8)
    {
        if (Interlocked.Increment(ref _textQueued) > MaxQueuedText || !_queue.Writer.TryWrite((true, utf8)))
        {
            Close();
            return false;
        }

        return true;
    }

    /// <summary>Sends one text message now (the handshake, before the send loop runs).</summary>
    public Task SendNowAsync(LinkMessage message, CancellationToken cancellationToken) =>
        socket.SendAsync(LinkCodec.Write(message), WebSocketMessageType.Text, true, cancellationToken);

    /// <summary>Writes the queue to the socket until the link ends.</summary>
    public async Task SendLoopAsync()
    {
        try
        {
            await foreach (var (text, payload) in _queue.Reader.ReadAllAsync(_closed.Token))
            {
                Interlocked.Decrement(ref text ? ref _textQueued : ref _framesQueued);
                await socket.SendAsync(payload, text ? WebSocketMessageType.Text : WebSocketMessageType.Binary, true, _closed.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }

        Close();
    }

    /// <summary>The next whole message (text or binary), or null when the link closed.</summary>
    /// <exception cref="LinkFormatException">A message too long for its kind.</exception>
    public async Task<(bool Text, byte[] Payload)?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(_buffer.AsMemory(length), cancellationToken);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                return null;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            length += result.Count;
            var max = result.MessageType == WebSocketMessageType.Text ? LinkCodec.MaxTextBytes : AudioFrame.MaxLength;
            if (length > max || !result.EndOfMessage && length == _buffer.Length)
            {
                throw new LinkFormatException($"a {result.MessageType.ToString().ToLowerInvariant()} message longer than {max} bytes");
            }

            if (result.EndOfMessage)
            {
                return (result.MessageType == WebSocketMessageType.Text, _buffer.AsSpan(0, length).ToArray());
            }
        }
    }

    /// <summary>Tells the peer why, then closes (policy violation).</summary>
    public async Task RefuseAsync(string reason)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await SendNowAsync(new LinkRefused(reason), timeout.Token);
            await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "refused", timeout.Token);
            // Until the peer's close (or the timeout), so that the refusal is read before the connection goes.
            while ((await socket.ReceiveAsync(_buffer.AsMemory(), timeout.Token)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        Close();
    }

    public void Close()
    {
        _queue.Writer.TryComplete();
        if (!_closed.IsCancellationRequested)
        {
            _closed.Cancel();
        }

        socket.Abort();
    }
}
