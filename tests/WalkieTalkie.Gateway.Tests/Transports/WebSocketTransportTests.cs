using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Transports;
using WalkieTalkie.Gateway.Transports.WebSockets;
using WalkieTalkie.Protocol;

namespace WalkieTalkie.Gateway.Tests.Transports;

/// <summary>Backpressure: a browser that does not read loses its own audio and, at worst, its connection; the engine never waits.</summary>
public class WebSocketTransportTests
{
    /// <summary>A socket whose sends never finish (a browser that stopped reading) and whose receive waits for the end.</summary>
    private sealed class StuckSocket : WebSocket
    {
        private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private WebSocketState _state = WebSocketState.Open;

        public int SendsStarted;

        public override WebSocketCloseStatus? CloseStatus => null;
        public override string? CloseStatusDescription => null;
        public override WebSocketState State => _state;
        public override string? SubProtocol => null;

        public override void Abort() => _state = WebSocketState.Aborted;

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Dispose()
        {
        }

        public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
        {
            await _closed.Task.WaitAsync(cancellationToken);
            return new WebSocketReceiveResult(0, WebSocketMessageType.Close, true);
        }

        public override async Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref SendsStarted);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }

    private sealed class CountingSink : IUplinkSink
    {
        public int Connected;
        public int Disconnected;

        public void OnUplink(string badgeId, TopicKind kind, byte[] payload)
        {
        }

        public void OnConnected(string badgeId) => Interlocked.Increment(ref Connected);

        public void OnDisconnected(string badgeId) => Interlocked.Increment(ref Disconnected);
    }

    private static WebSocketTransport Transport(ListLoggerProvider log) =>
        new(new FloodGuard(new FloodLimits(100, 200, 100, 200), TimeProvider.System,
                new BadgeRefusals(Options.Create(new LimitOptions()), TimeProvider.System, NullLogger<BadgeRefusals>.Instance), NullLogger<FloodGuard>.Instance),
            new WebSocketLimits(MaxQueuedAudioFrames: 4, MaxQueuedControl: 16), TimeProvider.System, log.CreateLogger<WebSocketTransport>());

    [Fact]
    public async Task A_browser_that_does_not_read_loses_its_own_audio_and_the_sender_never_waits()
    {
        var log = new ListLoggerProvider();
        var transport = Transport(log);
        var sink = new CountingSink();
        await transport.StartAsync(sink, CancellationToken.None);
        var socket = new StuckSocket();
        var running = transport.RunAsync("mum", socket, CancellationToken.None);
        await Eventually.TrueAsync(() => sink.Connected == 1);

        var frame = TestFrames.Make(1, 7, 0);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 200; i++)
        {
            await transport.SendAudioAsync("mum", frame);
        }

        Assert.True(watch.ElapsedMilliseconds < 1000, $"200 sends took {watch.ElapsedMilliseconds} ms");
        // One frame is stuck in the socket, four wait; the rest were given up.
        Assert.InRange(transport.AudioDropped("mum"), 195, 196);
        Assert.Equal(1, log.Count("Dropping audio to the web walkie of device mum"));
        Assert.False(running.IsCompleted);

        // Control messages must not be lost: too many waiting closes the connection instead.
        for (var i = 0; i < 20; i++)
        {
            await transport.SendControlAsync("mum", [1, 0x20, 1, 1, 0, 0, 0, 0]);
        }

        await running.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, sink.Disconnected);
        Assert.Equal(0, transport.Connected);
        Assert.True(log.Contains("Closed the web walkie of device mum", "control messages waiting"));
        await transport.DisposeAsync();
    }

    [Fact]
    public async Task A_device_that_connects_again_takes_its_old_connection_over()
    {
        var log = new ListLoggerProvider();
        var transport = Transport(log);
        var sink = new CountingSink();
        await transport.StartAsync(sink, CancellationToken.None);
        var first = transport.RunAsync("mum", new StuckSocket(), CancellationToken.None);
        await Eventually.TrueAsync(() => sink.Connected == 1);
        var second = transport.RunAsync("mum", new StuckSocket(), CancellationToken.None);

        await first.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, sink.Connected);
        // The old connection's end is not the device's: it is still connected on the new one.
        Assert.Equal(0, sink.Disconnected);
        Assert.Equal(1, transport.Connected);
        Assert.False(second.IsCompleted);
        await transport.DisposeAsync();
        await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, sink.Disconnected);
    }
}
