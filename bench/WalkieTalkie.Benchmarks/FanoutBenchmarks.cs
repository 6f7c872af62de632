using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using WalkieTalkie.Gateway.Transports;
using WalkieTalkie.Gateway.Transports.Mqtt;
using WalkieTalkie.Protocol;

namespace WalkieTalkie.Benchmarks;

/// <summary>
/// One audio frame fanned out to every listener's MQTTnet session, the embedded broker's direct route, until every
/// session has handed it to its socket: enqueue, MQTTnet's packet encoding and the write, on a real MQTTnet server on
/// the gateway's own sockets (<see cref="BadgeListener"/>) with listeners on loopback. The listeners are bare sockets
/// that read and discard (they allocate nothing), so the memory column is the server's and the route's per frame.
/// <c>MessagePerListener</c> is the route as it was (a topic string and a message made per listener per frame);
/// <c>CachedRoute</c> is <see cref="DirectRoute"/> through the session's queue (both made once per route), where what
/// remains per listener is MQTTnet's: the packet and the queue item it makes per enqueue, and its sender;
/// <c>DirectWrite</c> is the route as the gateway takes it, the frame written straight to each listener's connection
/// (<see cref="BadgeConnection"/>).
/// </summary>
[MemoryDiagnoser]
public class FanoutBenchmarks
{
    private readonly byte[] _frame = new byte[176];
    private readonly List<Socket> _listeners = [];
    private MqttServer _server = null!;
    private MqttSessionStatus[] _sessions = [];
    private DirectRoute[] _routes = [];
    private DirectRoute[] _connectionRoutes = [];
    private BadgeListener _badgeListener = null!;
    private BadgeRefusals _refusals = null!;

    [Params(1, 100)]
    public int Listeners { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        var factory = new MqttServerFactory();
        var port = FreePort();
        var limits = new LimitOptions();
        _refusals = new BadgeRefusals(Options.Create(limits), TimeProvider.System, NullLogger<BadgeRefusals>.Instance);
        _badgeListener = new BadgeListener(new MqttOptions { BindAddress = "127.0.0.1", Port = port, TlsPort = 0 }, limits, null, _refusals, NullLogger.Instance);
        _server = factory.CreateMqttServer(factory.CreateServerOptionsBuilder().WithPersistentSessions(true).WithMaxPendingMessagesPerClient(2000)
            .WithPendingMessagesOverflowStrategy(MqttPendingMessagesOverflowStrategy.DropOldestQueuedMessage).WithoutDefaultEndpoint().Build(), [_badgeListener]);
        _server.ValidatingConnectionAsync += e =>
        {
            _badgeListener.Authenticated(e.ChannelAdapter, e.ClientId);
            return Task.CompletedTask;
        };
        await _server.StartAsync();
        for (var i = 0; i < Listeners; i++)
        {
            _listeners.Add(await ListenAsync(port, $"listener-{i:D4}"));
        }

        _sessions = (await _server.GetSessionsAsync()).ToArray();
        _routes = _sessions.Select(s => new DirectRoute(s, s.Id)).ToArray();
        _connectionRoutes = _sessions.Select(s => new DirectRoute(s, s.Id, _badgeListener.ConnectionOf(s.Id))).ToArray();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        foreach (var socket in _listeners)
        {
            socket.Dispose();
        }

        await _server.StopAsync();
        _server.Dispose();
        _refusals.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void MessagePerListener()
    {
        foreach (var session in _sessions)
        {
            var message = new MqttApplicationMessage
            {
                Topic = Topics.DownAudio(session.Id),
                Payload = new ReadOnlySequence<byte>(_frame),
                QualityOfServiceLevel = MqttQualityOfServiceLevel.AtMostOnce,
            };
            session.TryEnqueueApplicationMessage(message, out _);
        }

        WaitUntilSent();
    }

    [Benchmark]
    public void CachedRoute()
    {
        foreach (var route in _routes)
        {
            route.TrySendAudio(_frame);
        }

        WaitUntilSent();
    }

    [Benchmark]
    public void DirectWrite()
    {
        foreach (var route in _connectionRoutes)
        {
            if (!route.TryWriteAudio(_frame))
            {
                route.TrySendAudio(_frame);
            }
        }

        WaitUntilSent();
    }

    private void WaitUntilSent()
    {
        foreach (var session in _sessions)
        {
            var spin = new SpinWait();
            while (session.PendingApplicationMessagesCount > 0)
            {
                spin.SpinOnce();
            }
        }
    }

    // A listener that speaks just enough MQTT 3.1.1 by hand (connect with a persistent session, subscribe to its
    // downlink), then reads and drops whatever comes.
    private static async Task<Socket> ListenAsync(int port, string id)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var idBytes = Encoding.ASCII.GetBytes(id);
        byte[] connect = [0x10, (byte)(12 + idBytes.Length), 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 0, 0, 0, 0, (byte)idBytes.Length, .. idBytes];
        await socket.SendAsync(connect);
        await ReadExactlyAsync(socket, 4); // CONNACK
        var filter = Encoding.ASCII.GetBytes(Topics.DownFilter(id));
        byte[] subscribe = [0x82, (byte)(5 + filter.Length), 0, 1, 0, (byte)filter.Length, .. filter, 0];
        await socket.SendAsync(subscribe);
        await ReadExactlyAsync(socket, 5); // SUBACK
        _ = DrainAsync(socket);
        return socket;
    }

    private static async Task ReadExactlyAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        for (var read = 0; read < count;)
        {
            read += await socket.ReceiveAsync(buffer.AsMemory(read));
        }
    }

    private static async Task DrainAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (await socket.ReceiveAsync(buffer.AsMemory()) > 0)
            {
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
