using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WalkieTalkie.TestHomeserver.Endpoints;
using WalkieTalkie.TestHomeserver.Http;
using WalkieTalkie.TestHomeserver.State;

namespace WalkieTalkie.TestHomeserver;

/// <summary>
/// A Matrix homeserver for tests, in this process: Kestrel on 127.0.0.1 with a free port, all state in memory,
/// the client-server endpoints that matrix-js-sdk with Rust crypto and our gateway use (see
/// <c>tests/WalkieTalkie.TestHomeserver/README.md</c>). A test fixture, not a product: no federation, no persistence.
/// </summary>
/// <example><code>
/// await using var hs = await TestHomeserver.StartAsync();
/// var alice = hs.RegisterUser("alice", "secret");
/// var session = hs.CreateSession(alice.UserId);   // an access token without a login request
/// using var http = new HttpClient { BaseAddress = hs.BaseUrl };
/// </code></example>
public sealed class TestHomeserver : IAsyncDisposable
{
    private readonly ServerContext _context;
    private readonly Pipeline _pipeline = new();
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private WebApplication? _app;
    private int _port;

    private TestHomeserver(TestHomeserverOptions options)
    {
        _context = new ServerContext(options, options.RateLimits);
    }

    /// <summary>Starts a homeserver on 127.0.0.1 with a free port.</summary>
    public static async Task<TestHomeserver> StartAsync(TestHomeserverOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new TestHomeserver(options ?? new TestHomeserverOptions());
        await server.StartListeningAsync(cancellationToken);
        return server;
    }

    /// <summary>The client-server API base URL, e.g. <c>http://127.0.0.1:43123/</c>.</summary>
    public Uri BaseUrl => new($"http://127.0.0.1:{_port}/");

    /// <summary>The server name in ids and mxc URIs.</summary>
    public string ServerName => _context.Options.ServerName;

    /// <summary>Which Synapse rate limits are enforced; switch them at any time.</summary>
    public RateLimitSwitches RateLimits => _context.Switches;

    /// <summary>True between <see cref="GoOfflineAsync"/> and <see cref="GoOnlineAsync"/>.</summary>
    public bool IsOffline { get; private set; }

    /// <summary>While true, media downloads (and nothing else) answer <c>502 Bad Gateway</c>, as when a split
    /// deployment's media repository is down: a client that received an event cannot fetch its file yet.</summary>
    public bool MediaDownloadsFail
    {
        get => _pipeline.MediaDownloadsBadGateway;
        set => _pipeline.MediaDownloadsBadGateway = value;
    }

    /// <summary>
    /// While above zero, an incremental <c>/sync</c> that has something new waits this long before it answers (then
    /// answers with everything new by then), as a homeserver whose event stream lags does: a busy Synapse, or events
    /// that come over federation from another homeserver. Initial syncs are not held.
    /// </summary>
    public TimeSpan SyncLag
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _context.SyncLagTicks));
        set => Interlocked.Exchange(ref _context.SyncLagTicks, value.Ticks);
    }

    /// <summary>Every request answered so far, in order (method, path, status).</summary>
    public IReadOnlyList<HomeserverRequest> Requests => _pipeline.Requests.ToArray();

    /// <summary>Exceptions a handler threw (answered 500 M_UNKNOWN). A passing test should see none.</summary>
    public IReadOnlyList<Exception> ServerErrors => _pipeline.ServerErrors.ToArray();

    /// <summary>Creates an account directly (no request, no rate limit).</summary>
    /// <exception cref="InvalidOperationException">The user id is taken.</exception>
    public TestUser RegisterUser(string localpart, string password, string? displayName = null)
    {
        lock (_context.State.Gate)
        {
            var userId = _context.QualifyUserId(localpart);
            if (_context.State.Accounts.ContainsKey(userId))
            {
                throw new InvalidOperationException($"{userId} already exists");
            }

            _context.State.Accounts[userId] = new Account(userId, password) { DisplayName = displayName };
            return new TestUser(userId, localpart, password);
        }
    }

    /// <summary>Creates a device with an access token for a registered user directly, as a login would.</summary>
    public TestSession CreateSession(string userId, string? deviceId = null)
    {
        lock (_context.State.Gate)
        {
            var account = _context.State.Accounts.GetValueOrDefault(userId)
                          ?? throw new InvalidOperationException($"Unknown user {userId}");
            var (device, token) = _context.OpenSession(account, deviceId, null);
            return new TestSession(userId, device.DeviceId, token);
        }
    }

    /// <summary>The events of a room in stream order (client format, copies).</summary>
    public IReadOnlyList<JsonObject> RoomEvents(string roomId)
    {
        lock (_context.State.Gate)
        {
            var room = _context.State.Rooms.GetValueOrDefault(roomId) ?? throw new InvalidOperationException($"Unknown room {roomId}");
            return room.Events.Select(e => ClientEvents.For(e, _context.State, null)).ToList();
        }
    }

    /// <summary>The ids of all rooms.</summary>
    public IReadOnlyList<string> RoomIds()
    {
        lock (_context.State.Gate)
        {
            return _context.State.Rooms.Keys.ToList();
        }
    }

    /// <summary>To-device messages queued for a device and not yet acknowledged by a sync (type, sender, content).</summary>
    public IReadOnlyList<JsonObject> PendingToDevice(string userId, string deviceId)
    {
        lock (_context.State.Gate)
        {
            var device = _context.State.Accounts.GetValueOrDefault(userId)?.Devices.GetValueOrDefault(deviceId)
                         ?? throw new InvalidOperationException($"Unknown device {userId} {deviceId}");
            return device.Inbox.Select(m => new JsonObject
            {
                ["type"] = m.Type, ["sender"] = m.Sender, ["content"] = m.Content.DeepClone(),
            }).ToList();
        }
    }

    /// <summary>The device ids of a user.</summary>
    public IReadOnlyList<string> DeviceIds(string userId)
    {
        lock (_context.State.Gate)
        {
            return _context.State.Accounts.GetValueOrDefault(userId)?.Devices.Keys.ToList() ?? [];
        }
    }

    /// <summary>Unclaimed one-time keys of a device, per algorithm.</summary>
    public IReadOnlyDictionary<string, int> OneTimeKeyCounts(string userId, string deviceId)
    {
        lock (_context.State.Gate)
        {
            var device = _context.State.Accounts[userId].Devices[deviceId];
            return device.OneTimeKeys.Keys.GroupBy(k => k.Split(':')[0]).ToDictionary(g => g.Key, g => g.Count());
        }
    }

    /// <summary>Forgets the state of every rate-limit bucket.</summary>
    public void ResetRateLimits() => _context.Limiter.Reset();

    /// <summary>
    /// Takes the server away. <see cref="OutageKind.ConnectionRefused"/> stops the listener (connections are refused;
    /// open requests, long-polls included, are dropped); <see cref="OutageKind.BadGateway"/> keeps it listening but
    /// answers every request 502, as a reverse proxy in front of a stopped homeserver does. State is kept.
    /// </summary>
    public async Task GoOfflineAsync(OutageKind kind = OutageKind.ConnectionRefused)
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (IsOffline)
            {
                return;
            }

            IsOffline = true;
            if (kind == OutageKind.BadGateway)
            {
                _pipeline.BadGateway = true;
                _pipeline.AbortAll();
                return;
            }
            _pipeline.AbortAll();
            await StopListeningAsync();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Brings the server back on the same port with the same state.</summary>
    public async Task GoOnlineAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (!IsOffline)
            {
                return;
            }

            if (_app is null)
            {
                await StartListeningAsync(cancellationToken);
            }

            _pipeline.BadGateway = false;
            IsOffline = false;
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _pipeline.AbortAll();
        await StopListeningAsync();
        _lifecycle.Dispose();
    }

    private async Task StartListeningAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        if (!_context.Options.EnableServerLogging)
        {
            builder.Logging.ClearProviders();
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var port = _port;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.Limits.MaxRequestBodySize = _context.Options.MaxUploadSize + 1;
        });
        var app = builder.Build();
        app.Use(_pipeline.InvokeAsync);
        AuthEndpoints.Map(app, _context);
        AccountEndpoints.Map(app, _context);
        SyncEndpoint.Map(app, _context);
        KeysEndpoints.Map(app, _context);
        CrossSigningEndpoints.Map(app, _context);
        ToDeviceEndpoints.Map(app, _context);
        RoomEndpoints.Map(app, _context);
        ReceiptEndpoints.Map(app, _context);
        RelationEndpoints.Map(app, _context);
        ModerationEndpoints.Map(app, _context);
        MediaEndpoints.Map(app, _context);
        OpenIdEndpoints.Map(app, _context);
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _port = new Uri(address).Port;
        _app = app;
    }

    private async Task StopListeningAsync()
    {
        var app = _app;
        _app = null;
        if (app is null)
        {
            return;
        }

        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>How <see cref="TestHomeserver.GoOfflineAsync"/> fails requests.</summary>
public enum OutageKind
{
    /// <summary>Nothing listens on the port: connections are refused.</summary>
    ConnectionRefused,

    /// <summary>Every request gets <c>502 Bad Gateway</c> with an HTML body.</summary>
    BadGateway,
}

/// <summary>A registered account.</summary>
public sealed record TestUser(string UserId, string Localpart, string Password);

/// <summary>A device with its access token.</summary>
public sealed record TestSession(string UserId, string DeviceId, string AccessToken);
