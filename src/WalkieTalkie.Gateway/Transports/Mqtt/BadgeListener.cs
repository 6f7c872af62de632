using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;
using WalkieTalkie.Gateway.Logging;

namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>
/// The embedded broker's sockets, in place of MQTTnet's own listener, which listens on every IPv6 address too, gives a
/// TLS handshake no time limit and reserves whatever body size a packet announces. This one listens exactly where
/// <c>Mqtt:BindAddress</c> says (<c>::</c> for IPv6 and IPv4), plain and TLS; gives each connection
/// <see cref="LimitOptions.HandshakeSeconds"/> from accept to its accepted CONNECT (the TLS handshake included) and
/// closes it otherwise; keeps at most <see cref="LimitOptions.UnauthenticatedPerAddress"/> such connections per
/// address, the next ones waiting (<see cref="AddressSlots"/>) up to <see cref="LimitOptions.WaitSeconds"/> for one
/// to log in or go, at most <see cref="LimitOptions.WaitingPerAddress"/> of them; and refuses any packet announcing more than <see cref="MqttLimits.MaxPacketBytes"/> from its header
/// (<see cref="PacketSizeLimit"/>, and <see cref="PacketFramer"/> once the badge is logged in and its connection is read by
/// the gateway: <see cref="BadgePacketReader"/>); and sends each packet in one write (<see cref="WholePacketChannel"/>), audio frames
/// straight to the socket where they can (<see cref="BadgeConnection"/>: a plain connection's socket is non-blocking,
/// a TLS one's frames go through its stream). What it
/// accepts goes to MQTTnet's server as its own listener's would.
/// </summary>
public sealed class BadgeListener(MqttOptions options, LimitOptions limits, X509Certificate2? certificate, BadgeRefusals refusals, ILogger logger)
    : IMqttServerAdapter
{
    private readonly IPAddress _address = IPAddress.Parse(options.BindAddress);
    private readonly SslStreamCertificateContext? _certificate = certificate is null ? null : SslStreamCertificateContext.Create(certificate, null, offline: true);
    private readonly AddressSlots _unauthenticated = new(limits.UnauthenticatedPerAddress, limits.WaitingPerAddress);
    private readonly ConcurrentDictionary<IMqttChannelAdapter, Connection> _connections = new();
    private readonly ConcurrentDictionary<string, BadgeConnection> _loggedIn = new(StringComparer.Ordinal);
    private readonly List<Socket> _listening = [];
    private readonly CancellationTokenSource _stop = new();
    private MqttServerOptions? _serverOptions;
    private IMqttNetLogger? _mqttLogger;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    /// <summary>Where a logged-in badge's uplink goes before MQTTnet's receive loop sees it (null: all to MQTTnet).</summary>
    public IBadgeUplink? Uplink { get; set; }

    /// <summary>Where it listens, for the log: address, port and whether TLS.</summary>
    public IReadOnlyList<(IPEndPoint EndPoint, bool Tls)> EndPoints { get; private set; } = [];

    public Task StartAsync(MqttServerOptions serverOptions, IMqttNetLogger mqttLogger)
    {
        _serverOptions = serverOptions;
        _mqttLogger = mqttLogger;
        var endPoints = new List<(IPEndPoint, bool)>();
        if (options.Port > 0)
        {
            endPoints.Add((Listen(options.Port, tls: false), false));
        }

        if (options.TlsPort > 0 && _certificate is not null)
        {
            endPoints.Add((Listen(options.TlsPort, tls: true), true));
        }

        EndPoints = endPoints;
        return Task.CompletedTask;
    }

    /// <summary>
    /// The broker accepted this connection's CONNECT as badge <paramref name="badgeId"/>: it is no longer unauthenticated.
    /// False when its time ran out first (it is being closed).
    /// </summary>
    public bool Authenticated(IMqttChannelAdapter adapter, string badgeId)
    {
        if (!_connections.TryGetValue(adapter, out var connection) || !connection.Authenticate(badgeId))
        {
            return false;
        }

        connection.ReadOnLoop();
        if (adapter is BadgeConnection badge)
        {
            badge.LoggedIn(badgeId, Uplink);
            _loggedIn.AddOrUpdate(badgeId, badge, (_, previous) =>
            {
                if (!ReferenceEquals(previous, badge))
                {
                    previous.TakenOver();
                }

                return badge;
            });
        }

        return true;
    }

    /// <summary>The connection the badge logged in on last, while it lasts.</summary>
    public BadgeConnection? ConnectionOf(string badgeId) => _loggedIn.GetValueOrDefault(badgeId);

    private IPEndPoint Listen(int port, bool tls)
    {
        var socket = new Socket(_address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (_address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(new IPEndPoint(_address, port));
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _listening.Add(socket);
        _ = AcceptAsync(socket, tls, _stop.Token);
        return (IPEndPoint)socket.LocalEndPoint!;
    }

    private async Task AcceptAsync(Socket listening, bool tls, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listening.AcceptAsync(stopping);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                logger.LogWarning("Accepting an MQTT connection failed: {Error}", e.Message);
                await Task.Delay(100, CancellationToken.None);
                continue;
            }

            _ = Task.Run(() => ServeAsync(client, tls), CancellationToken.None);
        }
    }

    private async Task ServeAsync(Socket client, bool tls)
    {
        var address = client.RemoteEndPoint is IPEndPoint remote ? Normal(remote.Address) : IPAddress.None;
        if (!await _unauthenticated.EnterAsync(address, TimeSpan.FromSeconds(limits.WaitSeconds), _stop.Token))
        {
            if (refusals.Refuse(address, RefusalKind.Connection))
            {
                logger.LogWarning("Closed a connection from {Address}: {Count} unauthenticated connections from it already, none logged in or gone within {Wait} s " +
                    "(Limits:UnauthenticatedPerAddress, WaitSeconds, WaitingPerAddress)", address, limits.UnauthenticatedPerAddress, limits.WaitSeconds);
            }

            client.Dispose();
            return;
        }

        LoopSocketStream? own;
        try
        {
            own = options.OwnReceiveLoop && ReceiveLoop.IsSupported ? new LoopSocketStream(client, ReceiveLoop.Shared) : null;
        }
        catch (SocketException e)
        {
            logger.LogWarning("Closed a connection from {Address}: it could not be registered with the receive loop: {Error}", address, e.Message);
            _unauthenticated.Leave(address);
            client.Dispose();
            return;
        }

        var connection = new Connection(this, address, (IDisposable?)own ?? client, own);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(limits.HandshakeSeconds));
        using var expiry = deadline.Token.Register(connection.Expire);
        BadgeConnection? adapter = null;
        Stream stream = own is not null ? own : new NetworkStream(client, ownsSocket: true);
        var handshaken = !tls;
        try
        {
            client.NoDelay = true;
            if (tls)
            {
                var secure = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = secure;
                await secure.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = _certificate,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ClientCertificateRequired = false,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                }, deadline.Token);
                handshaken = true;
            }

            var limited = new PacketSizeLimit(stream, MqttLimits.MaxPacketBytes, announced => RefusePacket(connection, announced));
            var channel = new WholePacketChannel(new MqttTcpChannel(limited, client.LocalEndPoint, client.RemoteEndPoint, null));
            var writer = new MqttBufferWriter(_serverOptions!.WriterBufferSize, _serverOptions.WriterBufferSizeMax);
            if (!tls)
            {
                // Audio frames go to the socket itself (BadgeConnection.TryWriteAudio) and must never wait for room
                // there; the stream's reads and writes are asynchronous, which a non-blocking socket does not change.
                client.Blocking = false;
            }

            // From login on the connection is read by the gateway (BadgePacketReader), under the same packet size limit.
            var reader = new BadgePacketReader(stream, new PacketFramer(MqttLimits.MaxPacketBytes, announced => RefusePacket(connection, announced)));
            adapter = new BadgeConnection(new MqttChannelAdapter(channel, new MqttPacketFormatterAdapter(writer), _mqttLogger!), channel, tls ? null : client, reader);
            _connections[adapter] = connection;
            if (ClientHandler is { } handler)
            {
                await handler(adapter);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, failed its handshake, or ran out of time: nothing to serve.
        }
        finally
        {
            if (adapter is not null)
            {
                _connections.TryRemove(adapter, out _);
                if (connection.BadgeId is { } badgeId)
                {
                    _loggedIn.TryRemove(new KeyValuePair<string, BadgeConnection>(badgeId, adapter));
                }

                adapter.Dispose();
            }

            await stream.DisposeAsync();
            if (connection.Close() && refusals.Refuse(address, RefusalKind.Connection))
            {
                logger.LogWarning("Closed a connection from {Address}: no {What} within {Seconds} s (Limits:HandshakeSeconds)",
                    address, handshaken ? "login" : "TLS handshake", limits.HandshakeSeconds);
            }
        }
    }

    private void RefusePacket(Connection connection, long announced)
    {
        var logged = connection.BadgeId is { } badge ? refusals.Refuse(badge, RefusalKind.Oversized) : refusals.Refuse(connection.Address, RefusalKind.Connection);
        if (logged)
        {
            logger.LogWarning("Refused an MQTT packet of {Length} bytes from {Who} (the limit is {Limit}): connection closed",
                announced, connection.BadgeId is { } id ? "badge " + LogText.Escape(id) : connection.Address.ToString(), MqttLimits.MaxPacketBytes);
        }
    }

    private static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public Task StopAsync()
    {
        _stop.Cancel();
        foreach (var socket in _listening)
        {
            socket.Dispose();
        }

        _listening.Clear();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        StopAsync();
        _stop.Dispose();
    }

    /// <summary>One connection until it is accepted as a badge: counted against its address, closed when its time runs out.</summary>
    /// <remarks><paramref name="closer"/> is what closes it: the socket, or the stream the receive loop serves (<paramref name="own"/>).</remarks>
    private sealed class Connection(BadgeListener owner, IPAddress address, IDisposable closer, LoopSocketStream? own)
    {
        private const int Waiting = 0;
        private const int LoggedIn = 1;
        private const int TimedOut = 2;
        private const int Gone = 3;
        private int _state;

        public IPAddress Address => address;

        public string? BadgeId { get; private set; }

        public bool Authenticate(string badgeId)
        {
            if (Interlocked.CompareExchange(ref _state, LoggedIn, Waiting) != Waiting)
            {
                return false;
            }

            BadgeId = badgeId;
            owner._unauthenticated.Leave(address);
            return true;
        }

        /// <summary>Logged in: its reads complete on the receive loop's thread from now on (no pool hop per packet).</summary>
        public void ReadOnLoop() => own?.CompleteReadsOnLoop();

        public void Expire()
        {
            if (Interlocked.CompareExchange(ref _state, TimedOut, Waiting) == Waiting)
            {
                owner._unauthenticated.Leave(address);
                closer.Dispose();
            }
        }

        /// <summary>The connection ended; true when it was because its time ran out.</summary>
        public bool Close()
        {
            if (Interlocked.CompareExchange(ref _state, Gone, Waiting) == Waiting)
            {
                owner._unauthenticated.Leave(address);
            }

            return Volatile.Read(ref _state) == TimedOut;
        }
    }
}
