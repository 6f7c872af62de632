using Microsoft.Extensions.Logging.Abstractions;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.MatrixBridge.Linking;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Matrix.Client.Http;

namespace WalkieTalkie.EndToEnd.Tests.Adapters;

/// <summary><c>walkie badge link</c> on the test homeserver: registration, the cross-signing bootstrap, and a re-link.</summary>
public sealed class BadgeLinkerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wt-badge-link-").FullName;

    private MatrixBridgeOptions Options(Uri homeserver)
    {
        var keyFile = Path.Combine(_folder, "store.key");
        if (!File.Exists(keyFile))
        {
            File.WriteAllText(keyFile, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        }

        return new MatrixBridgeOptions { Homeserver = homeserver.ToString(), StoreKeyFile = keyFile, SyncTimeout = TimeSpan.FromSeconds(2) };
    }

    [Fact]
    public void A_badge_devices_sync_and_outbox_retry_an_absent_homeserver_at_most_every_HomeserverRetryMaxSeconds()
    {
        var options = Options(new Uri("http://127.0.0.1:9/")) with { HomeserverRetryMaxSeconds = 7 };
        var device = BadgeLinker.DeviceOptions(options, _folder, "kid-1", null);
        foreach (var backoff in new[] { device.Sync.Backoff, device.OutboxBackoff })
        {
            Assert.Equal(TimeSpan.FromSeconds(1), backoff.InitialDelay);
            Assert.Equal(TimeSpan.FromSeconds(7), backoff.MaxDelay);
            Assert.InRange(backoff.DelayFor(30, null).TotalSeconds, 7 * 0.8, 7 * 1.2); // the cap, with its jitter
        }
        Assert.Equal(10, new MatrixBridgeOptions().HomeserverRetryMaxSeconds);
    }

    [Fact]
    public async Task Linking_registers_the_account_cross_signs_once_and_a_relink_keeps_the_device_without_a_login()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        // Synapse before MSC3967: the first cross-signing upload asks for the password too.
        await using var hs = await WalkieTalkie.TestHomeserver.TestHomeserver.StartAsync(
            new WalkieTalkie.TestHomeserver.TestHomeserverOptions { FirstCrossSigningUploadNeedsAuth = true }, cancellationToken: timeout.Token);
        var database = new SqliteDatabase(Path.Combine(_folder, "walkie.db"));
        var options = Options(hs.BaseUrl);

        var link = await BadgeLinker.LinkAsync(SqliteStores.Bridge(database), options, _folder, "kid-1", "walkie-kid", "pw-kid", register: true,
            NullLogger.Instance, timeout.Token);
        Assert.Equal("WTKID1", link.DeviceId);
        Assert.StartsWith("@walkie-kid:", link.UserId);
        Assert.Equal(["WTKID1"], hs.DeviceIds(link.UserId));
        Assert.Single(hs.Requests, r => r.Path.EndsWith("/keys/device_signing/upload") && r.Status == 200);
        Assert.Contains(hs.Requests, r => r.Path.EndsWith("/keys/signatures/upload") && r.Status == 200);

        var again = await BadgeLinker.LinkAsync(SqliteStores.Bridge(database), options, _folder, "kid-1", "walkie-kid", "pw-kid", register: true,
            NullLogger.Instance, timeout.Token);
        Assert.Equal(link, again);
        Assert.Single(SqliteStores.Bridge(database).Links.Badges());
        Assert.Single(hs.Requests, r => r.Path.EndsWith("/register") && r.Status == 200);
        Assert.Single(hs.Requests, r => r.Path.EndsWith("/login")); // the refused one before registering; the re-link used the session
        Assert.Single(hs.Requests, r => r.Path.EndsWith("/keys/device_signing/upload") && r.Status == 200); // not bootstrapped twice
        Assert.Empty(hs.ServerErrors);
    }

    [Fact]
    public async Task Without_register_an_unknown_account_is_a_clear_refusal_and_links_nothing()
    {
        await using var hs = await WalkieTalkie.TestHomeserver.TestHomeserver.StartAsync();
        var database = new SqliteDatabase(Path.Combine(_folder, "walkie.db"));
        var refused = await Assert.ThrowsAsync<MatrixException>(() => BadgeLinker.LinkAsync(SqliteStores.Bridge(database), Options(hs.BaseUrl), _folder, "kid-1",
            "nobody", "pw", register: false, NullLogger.Instance));
        Assert.Equal(MatrixErrorCode.Forbidden, refused.ErrorCode);
        Assert.Empty(SqliteStores.Bridge(database).Links.Badges());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
