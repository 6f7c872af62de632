using WalkieTalkie.Interop;
using WalkieTalkie.Matrix.Client;
using WalkieTalkie.Matrix.Client.Auth;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Sessions;
using WalkieTalkie.Matrix.Client.Sync;
using WalkieTalkie.Matrix.Device;

namespace WalkieTalkie.Matrix.Interop.Tests;

/// <summary>
/// A test homeserver with a badge (our <see cref="MatrixDevice"/>, logged in by password once, cross-signed by
/// itself) and a phone (a js-sdk peer in only-signed-devices mode, cross-signed), in one encrypted room the phone
/// created and the badge joined. The badge's session, key store and outbox live in a temporary folder, so it
/// can be restarted as a new process would be.
/// </summary>
internal sealed class BadgeAndPhone : IAsyncDisposable
{
    public const string BadgeDeviceId = "BADGEANNA";
    private const string BadgePassword = "anna-badge-password";

    private readonly string _folder = Directory.CreateTempSubdirectory("wt-interop-").FullName;
    private readonly ITestOutputHelper _output;
    private MatrixClient? _client;

    private BadgeAndPhone(TestHomeserver.TestHomeserver homeserver, JsPeer phone, ITestOutputHelper output)
    {
        Homeserver = homeserver;
        Phone = phone;
        _output = output;
    }

    public TestHomeserver.TestHomeserver Homeserver { get; }
    public JsPeer Phone { get; }
    public PeerSession PhoneSession { get; private set; } = null!;
    public MatrixDevice Badge { get; private set; } = null!;
    public string BadgeUserId { get; private set; } = null!;
    public string RoomId { get; private set; } = null!;

    /// <summary>Whether the badge cross-signs itself (always, outside the test that shows why it must).</summary>
    private bool CrossSignBadge { get; init; } = true;

    public static async Task<BadgeAndPhone> StartAsync(ITestOutputHelper output, CancellationToken ct, bool crossSignBadge = true)
    {
        var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        JsPeer? phone = null;
        BadgeAndPhone? world = null;
        try
        {
            phone = await JsPeer.StartAsync("phone", output.WriteLine, cancellationToken: ct);
            world = new BadgeAndPhone(hs, phone, output) { CrossSignBadge = crossSignBadge };
            world.PhoneSession = await phone.RegisterAsync(hs.BaseUrl, "dad", "dad-password", cancellationToken: ct);
            await phone.StartClientAsync(DeviceIsolation.OnlySignedDevices, cancellationToken: ct);
            Assert.True(await phone.BootstrapCrossSigningAsync(cancellationToken: ct));

            world.BadgeUserId = hs.RegisterUser("walkie-anna", BadgePassword).UserId;
            await world.OpenBadgeAsync(ct);

            world.RoomId = await phone.CreateRoomAsync("Family", [world.BadgeUserId], encrypted: true, cancellationToken: ct);
            await world.Badge.JoinRoomAsync(world.RoomId, ct);
            await phone.WaitForMembersAsync(world.RoomId, [world.PhoneSession.UserId, world.BadgeUserId], cancellationToken: ct);
            return world;
        }
        catch
        {
            if (world is not null)
            {
                await world.DisposeAsync();
            }
            else
            {
                if (phone is not null)
                {
                    await phone.DisposeAsync();
                }

                await hs.DisposeAsync();
            }
            throw;
        }
    }

    /// <summary>Stops the badge as a process stop would, and opens it again from its files.</summary>
    public async Task RestartBadgeAsync(CancellationToken ct)
    {
        await Badge.DisposeAsync();
        _client?.Dispose();
        await OpenBadgeAsync(ct);
    }

    private async Task OpenBadgeAsync(CancellationToken ct)
    {
        var http = new MatrixHttpOptions { RequestTimeout = TimeSpan.FromSeconds(20) };
        _client = await MatrixClient.ConnectAsync(Homeserver.BaseUrl, new FileSessionStore(Path.Combine(_folder, "session.json")),
            new PasswordCredentials("walkie-anna", BadgePassword, BadgeDeviceId, "Anna's badge"), options: http, cancellationToken: ct);
        var keyFile = Path.Combine(_folder, "store.key");
        if (!File.Exists(keyFile))
        {
            await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), ct);
        }

        Badge = await MatrixDevice.OpenAsync(_client, new MatrixDeviceOptions
        {
            KeyStorePath = Path.Combine(_folder, "keys.db"),
            KeyStoreKeyFile = keyFile,
            OutboxPath = Path.Combine(_folder, "outbox.db"),
            AccountPassword = BadgePassword,
            Sync = new SyncLoopOptions { Timeout = TimeSpan.FromSeconds(5) },
            SkipCrossSigningForTests = !CrossSignBadge,
            OutboxBackoff = new RetryPolicy { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromSeconds(1) },
        }, new TestLogger(_output, "badge"), ct);
        await Badge.StartAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (Badge is not null)
        {
            await Badge.DisposeAsync();
        }

        _client?.Dispose();
        await Phone.DisposeAsync();
        await Homeserver.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
