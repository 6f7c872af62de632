using System.Net;
using System.Net.Sockets;
using WalkieTalkie.Gateway.Transports.Mqtt;

namespace WalkieTalkie.Gateway.Tests.Mqtt;

/// <summary>
/// The badge socket's stream served by the gateway's own receive loop, over a real socket pair: reads take what has
/// arrived (in parts when the buffer is smaller), wait for what has not, read 0 at EOF, fail when the stream is closed
/// under them or their token is cancelled; a write larger than the socket's buffer finishes as the peer reads; and a
/// waiting read completes on the loop thread once the connection is logged in, on the pool before. (Linux: epoll.)
/// </summary>
public sealed class LoopSocketStreamTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private Socket _peer = null!;
    private LoopSocketStream _stream = null!;

    public async Task InitializeAsync()
    {
        using var listening = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listening.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listening.Listen(1);
        _peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        var accepting = listening.AcceptAsync();
        await _peer.ConnectAsync(listening.LocalEndPoint!);
        var served = await accepting;
        served.SendBufferSize = 4096;
        _stream = new LoopSocketStream(served, ReceiveLoop.Shared);
    }

    public Task DisposeAsync()
    {
        _stream?.Dispose();
        _peer?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_read_waits_for_data_and_takes_it_in_parts_when_its_buffer_is_smaller()
    {
        var buffer = new byte[30];
        var waiting = _stream.ReadAsync(buffer).AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);

        var sent = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        _peer.Send(sent);
        var received = new List<byte>();
        var read = await waiting.WaitAsync(Wait);
        received.AddRange(buffer[..read]);
        while (received.Count < sent.Length)
        {
            read = await _stream.ReadAsync(buffer).AsTask().WaitAsync(Wait);
            Assert.InRange(read, 1, 30);
            received.AddRange(buffer[..read]);
        }

        Assert.Equal(sent, received);
        var next = _stream.ReadAsync(buffer).AsTask();
        await Task.Delay(50);
        Assert.False(next.IsCompleted);
        _peer.Send([42]);
        Assert.Equal(1, await next.WaitAsync(Wait));
        Assert.Equal(42, buffer[0]);
    }

    [Fact]
    public async Task A_zero_byte_read_waits_for_data_and_leaves_it_for_the_next_read()
    {
        var buffer = new byte[16];
        _peer.Send([4]);
        Assert.Equal(1, await _stream.ReadAsync(buffer).AsTask().WaitAsync(Wait)); // a short read: the socket is drained
        var waiting = _stream.ReadAsync(Memory<byte>.Empty).AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        _peer.Send([5, 6]);
        Assert.Equal(0, await waiting.WaitAsync(Wait));
        Assert.Equal(2, await _stream.ReadAsync(buffer).AsTask().WaitAsync(Wait));
        Assert.Equal([5, 6], buffer[..2]);
    }

    [Fact]
    public async Task Reads_read_0_at_EOF_and_go_on_reading_0()
    {
        var buffer = new byte[16];
        var waiting = _stream.ReadAsync(buffer).AsTask();
        _peer.Send([1, 2, 3]);
        _peer.Shutdown(SocketShutdown.Send);
        Assert.Equal(3, await waiting.WaitAsync(Wait));
        Assert.Equal(0, await _stream.ReadAsync(buffer).AsTask().WaitAsync(Wait));
        Assert.Equal(0, await _stream.ReadAsync(buffer).AsTask().WaitAsync(Wait));
    }

    [Fact]
    public async Task A_reset_connection_fails_the_waiting_read_with_the_socket_error()
    {
        var waiting = _stream.ReadAsync(new byte[16]).AsTask();
        _peer.LingerState = new LingerOption(true, 0);
        _peer.Close(); // RST
        var failure = await Assert.ThrowsAsync<IOException>(() => waiting.WaitAsync(Wait));
        Assert.Equal(SocketError.ConnectionReset, Assert.IsType<SocketException>(failure.InnerException).SocketErrorCode);
    }

    [Fact]
    public async Task Closing_the_stream_fails_the_waiting_read_as_a_closed_NetworkStream_would()
    {
        var waiting = _stream.ReadAsync(new byte[16]).AsTask();
        await Task.Delay(20);
        _stream.Dispose();
        var failure = await Assert.ThrowsAsync<IOException>(() => waiting.WaitAsync(Wait));
        Assert.Equal(SocketError.OperationAborted, Assert.IsType<SocketException>(failure.InnerException).SocketErrorCode);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _stream.ReadAsync(new byte[16]).AsTask());
        // The peer sees the connection closed.
        Assert.Equal(0, await _peer.ReceiveAsync(new byte[16].AsMemory()).AsTask().WaitAsync(Wait));
    }

    [Fact]
    public async Task A_cancelled_read_fails_with_its_token_and_the_stream_reads_on()
    {
        using var cancel = new CancellationTokenSource();
        var buffer = new byte[16];
        var waiting = _stream.ReadAsync(buffer, cancel.Token).AsTask();
        await Task.Delay(20);
        await cancel.CancelAsync();
        var failure = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Wait));
        Assert.Equal(cancel.Token, failure.CancellationToken);

        var next = _stream.ReadAsync(buffer, CancellationToken.None).AsTask();
        _peer.Send([7, 8]);
        Assert.Equal(2, await next.WaitAsync(Wait));
    }

    [Fact]
    public async Task A_write_larger_than_the_socket_buffer_finishes_as_the_peer_reads()
    {
        var sent = new byte[4 << 20];
        new Random(15).NextBytes(sent);
        var writing = _stream.WriteAsync(sent).AsTask();
        await Task.Delay(100);
        Assert.False(writing.IsCompleted, "the socket took 4 MB at once");

        var received = new byte[sent.Length];
        var at = 0;
        while (at < received.Length)
        {
            var read = await _peer.ReceiveAsync(received.AsMemory(at)).AsTask().WaitAsync(Wait);
            Assert.True(read > 0);
            at += read;
        }

        await writing.WaitAsync(Wait);
        Assert.Equal(sent, received);
    }

    [Fact]
    public async Task Closing_the_stream_fails_a_write_waiting_for_room()
    {
        var writing = _stream.WriteAsync(new byte[4 << 20]).AsTask();
        await Task.Delay(50);
        Assert.False(writing.IsCompleted);
        _stream.Dispose();
        await Assert.ThrowsAsync<IOException>(() => writing.WaitAsync(Wait));
    }

    [Fact]
    public async Task A_waiting_read_completes_on_the_pool_before_login_and_on_the_loop_thread_after()
    {
        Assert.True(await ContinuesOnAsync() is { IsThreadPoolThread: true });
        _stream.CompleteReadsOnLoop();
        var thread = await ContinuesOnAsync();
        Assert.False(thread!.IsThreadPoolThread);
        Assert.Equal("walkie receive", thread.Name);
    }

    // The thread a waiting read's continuation ran on.
    private async Task<Thread?> ContinuesOnAsync()
    {
        Thread? thread = null;
        var buffer = new byte[16];
        var reading = ReadAndNoteAsync();
        await Task.Delay(20);
        _peer.Send([1]);
        await reading.WaitAsync(Wait);
        return thread;

        async Task ReadAndNoteAsync()
        {
            await _stream.ReadAsync(buffer).ConfigureAwait(false);
            thread = Thread.CurrentThread;
        }
    }
}
