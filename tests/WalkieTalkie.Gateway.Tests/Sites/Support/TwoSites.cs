using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.MatrixBridge.Linking;
using WalkieTalkie.Gateway.Sites.Link;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.TestHomeserver;

namespace WalkieTalkie.Gateway.Tests.Sites.Support;

/// <summary>
/// Two houses on one room: the test homeserver, a room both granters may write walkie state in, and two gateways
/// ("site-a" and "site-b"), each with its embedded broker and its own badges on channel 1 (8 kHz) linked to the room
/// with its granter's session, its site link on a plain loopback port (development) and its announcement read every
/// 0.3 s. Site B is announced through a <see cref="CuttableProxy"/> (site A dials it: "site-a" sorts first), so a test
/// can cut the network between the houses. With <c>bridges</c>, each site runs its Matrix bridge too: its badges are
/// linked to their own Matrix accounts (cross-signed devices), the room is Megolm-encrypted, and a phone's account
/// (<see cref="Phone"/>, at power 100) is in it.
/// </summary>
public sealed class TwoSites : IAsyncDisposable
{
    /// <summary>The tests with two gateways and a homeserver run one at a time (six processes' worth of work each).</summary>
    public const string Collection = "Two sites";

    public const byte Channel = 1;

    /// <summary>The channel's rate at both sites.</summary>
    public const int Rate = 8000;

    private TwoSites(TestHomeserver.TestHomeserver homeserver, string roomId, TestGateway a, TestGateway b, CuttableProxy network,
        TestUser granterA, TestUser granterB, TestUser? phone)
    {
        Phone = phone;
        Homeserver = homeserver;
        RoomId = roomId;
        A = a;
        B = b;
        Network = network;
        GranterA = granterA;
        GranterB = granterB;
    }

    public TestHomeserver.TestHomeserver Homeserver { get; }

    public string RoomId { get; }

    public TestGateway A { get; }

    public TestGateway B { get; }

    /// <summary>The path from site A to site B's link.</summary>
    public CuttableProxy Network { get; }

    public TestUser GranterA { get; }

    public TestUser GranterB { get; }

    /// <summary>The phone's account in the room (password <c>dad-password</c>), when the bridges run; null otherwise.</summary>
    public TestUser? Phone { get; }

    /// <summary>A site's running Matrix bridge, once it started (the bridges run in the background).</summary>
    public static MatrixBridgeHost? BridgeOf(TestGateway site) => site.Host.Services.GetRequiredService<MatrixBridgeService>().Bridge;

    public static SiteLinks LinksOf(TestGateway site) => site.Host.Services.GetRequiredService<SiteLinks>();

    /// <param name="badgesA">Site A's badges on the channel.</param>
    /// <param name="badgesB">Site B's badges on the channel.</param>
    /// <param name="startB">False: site B is set up but never started, so the room is served by site A alone.</param>
    /// <param name="bridges">Run each site's Matrix bridge, in an encrypted room with a phone's account.</param>
    /// <param name="configure">Changes each site's settings before it starts.</param>
    public static async Task<TwoSites> StartAsync(string[] badgesA, string[] badgesB, bool startB = true, bool bridges = false,
        Action<TestGateway>? configure = null)
    {
        var homeserver = await TestHomeserver.TestHomeserver.StartAsync();
        var granterA = homeserver.RegisterUser("granter-a", "granter-a-password");
        var granterB = homeserver.RegisterUser("granter-b", "granter-b-password");
        var phone = bridges ? homeserver.RegisterUser("dad", "dad-password") : null;
        var roomId = await TwoGranterRoom.CreateAsync(homeserver, granterA, granterB, phone);
        var a = TestGateway.Create();
        var b = TestGateway.Create();
        var bPort = FreePort.Next();
        var network = new CuttableProxy(bPort);
        await SetUpAsync(a, "site-a", FreePort.Next(), null, homeserver, granterA, roomId, badgesA, bridges);
        await SetUpAsync(b, "site-b", bPort, network.Port, homeserver, granterB, roomId, badgesB, bridges);
        configure?.Invoke(a);
        configure?.Invoke(b);
        await a.StartAsync();
        if (startB)
        {
            await b.StartAsync();
        }

        return new TwoSites(homeserver, roomId, a, b, network, granterA, granterB, phone);
    }

    /// <summary>Takes the floor and sends the blocks as frames, a frame every 10 ms, then releases; returns the burst id.</summary>
    public static async Task<uint> TalkAsync(TestBadge badge, List<byte[]> blocks)
    {
        var grant = Assert.IsType<FloorGranted>(await badge.RequestFloorAsync(Channel));
        var frames = BurstFrames.Cut(blocks, Channel, grant.BurstId, SampleRate.FromHertz(Rate), 1);
        foreach (var frame in frames)
        {
            await badge.SendFrameAsync(frame);
            await Task.Delay(10);
        }

        await badge.SendAsync(new FloorRelease { Channel = Channel, BurstId = grant.BurstId, FrameCount = (ushort)frames.Count });
        return grant.BurstId;
    }

    /// <summary>Waits until each site holds a live link to the other.</summary>
    public Task<bool> LinkedAsync(int timeoutMs = 20_000) =>
        Eventually.TrueAsync(() => LinksOf(A).IsLinked("site-b") && LinksOf(B).IsLinked("site-a"), timeoutMs);

    private static async Task SetUpAsync(TestGateway site, string id, int httpPort, int? announcedPort, TestHomeserver.TestHomeserver homeserver,
        TestUser granter, string roomId, string[] badges, bool bridge)
    {
        foreach (var badge in badges)
        {
            site.AddBadge(badge);
        }

        site.AddChannel(Channel, Rate, badges);
        site.Http = new WalkieTalkie.Gateway.Http.HttpOptions { BindAddress = "127.0.0.1", Port = httpPort, TlsPort = 0 };
        var stores = SqliteStores.Bridge(site.Database);
        var matrix = new MatrixBridgeOptions { Homeserver = homeserver.BaseUrl.ToString() };
        if (bridge)
        {
            var keyFile = Path.Combine(site.Directory, "store.key");
            await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
            matrix = matrix with { StoreKeyFile = keyFile, SyncTimeout = TimeSpan.FromSeconds(5) };
            foreach (var badge in badges)
            {
                await BadgeLinker.LinkAsync(stores, matrix, site.Directory, badge, $"walkie-{badge}", $"{badge}-badge-password", register: true,
                    NullLogger.Instance, CancellationToken.None);
            }
        }

        await SiteOfRoom.LinkChannelAsync(stores, matrix, site.Directory, "ch" + Channel, roomId, granter);
        site.Services = services =>
        {
            // Without the bridge (no Matrix section) the sites reach the homeserver through the granter's session alone.
            SiteOfRoom.AddServices(services, id, announcedPort ?? httpPort, homeserver, matrix);
            if (bridge)
            {
                services.AddSingleton(Options.Create(matrix)); // the Matrix section (its properties are init-only)
            }
        };
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        await Network.DisposeAsync();
        await Homeserver.DisposeAsync();
    }
}

[CollectionDefinition(TwoSites.Collection, DisableParallelization = true)]
public sealed class TwoSitesCollection;
