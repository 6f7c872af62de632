using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Client.Auth;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Sessions;
using WalkieTalkie.TestHomeserver;
using static WalkieTalkie.Matrix.Client.Tests.Support.Harness;

namespace WalkieTalkie.Matrix.Client.Tests;

/// <summary>Login, stored tokens, registration, whoami, logout and user-interactive auth on the test homeserver.</summary>
public sealed class AuthTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wt-auth-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_password_login_keeps_the_device_id_it_asks_for()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        hs.RegisterUser("walkie-anna", "pw");
        using var client = ClientFor(hs);

        var session = await client.LoginAsync(new PasswordCredentials("walkie-anna", "pw", "BADGEANNA", "Anna's badge"), ct);

        Assert.Equal("@walkie-anna:test.local", session.UserId);
        Assert.Equal("BADGEANNA", session.DeviceId);
        var me = await client.WhoAmIAsync(ct);
        Assert.Equal(("@walkie-anna:test.local", "BADGEANNA"), (me.UserId, me.DeviceId));
        Assert.DoesNotContain(session.AccessToken, session.ToString());
    }

    [Fact]
    public async Task A_stored_token_is_used_at_start_up_and_no_login_is_made()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        hs.RegisterUser("walkie-anna", "pw");
        var store = new FileSessionStore(Path.Combine(_directory, "sessions", "anna.json"));
        var credentials = new PasswordCredentials("walkie-anna", "pw", "BADGEANNA");

        using (var first = await MatrixClient.ConnectAsync(hs.BaseUrl, store, credentials, options: FastOptions(), cancellationToken: ct))
        {
            Assert.Equal("BADGEANNA", (await first.WhoAmIAsync(ct)).DeviceId);
        }

        await AssertRequestCountAsync(hs, 1, "POST", "/login");

        for (var restart = 0; restart < 3; restart++)
        {
            using var again = await MatrixClient.ConnectAsync(hs.BaseUrl, store, credentials, options: FastOptions(), cancellationToken: ct);
            Assert.Equal("BADGEANNA", (await again.WhoAmIAsync(ct)).DeviceId);
        }
        await AssertRequestCountAsync(hs, 1, "POST", "/login");
        Assert.Equal(["BADGEANNA"], hs.DeviceIds("@walkie-anna:test.local"));
    }

    [Fact]
    public async Task The_session_file_is_readable_by_its_owner_only_and_is_narrowed_if_widened()
    {
        var path = Path.Combine(_directory, "sessions", "anna.json");
        var store = new FileSessionStore(path);
        var session = new MatrixSession(new Uri("https://hs.example/"), "@a:example", "DEV", "syt_secret");

        await store.SaveAsync(session);
        Assert.Equal(session, await store.LoadAsync());
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(Path.GetDirectoryName(path)!));

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        Assert.Equal(session, await store.LoadAsync());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        await store.DeleteAsync();
        Assert.Null(await store.LoadAsync());
    }

    [Fact]
    public async Task A_damaged_session_file_is_reported_not_silently_replaced_by_a_login()
    {
        var path = Path.Combine(_directory, "broken.json");
        await File.WriteAllTextAsync(path, "{ not json");
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => new FileSessionStore(path).LoadAsync());
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public async Task Logins_past_the_rate_limit_fail_with_the_wait_and_are_not_repeated()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        hs.RegisterUser("walkie-anna", "pw");
        hs.RateLimits.Login = true;
        using var client = ClientFor(hs);

        for (var i = 0; i < 5; i++)
        {
            await client.LoginAsync(new PasswordCredentials("walkie-anna", "pw", "BADGEANNA"), ct);
        }

        var error = await Assert.ThrowsAsync<MatrixException>(() =>
            client.LoginAsync(new PasswordCredentials("walkie-anna", "pw", "BADGEANNA"), ct));

        Assert.True(error.IsRateLimited);
        Assert.Equal(MatrixErrorCode.LimitExceeded, error.ErrorCode);
        Assert.True(error.RetryAfter > TimeSpan.FromMinutes(5), $"Retry-After was {error.RetryAfter}");
        await AssertRequestCountAsync(hs, 6, "POST", "/login");
    }

    [Fact]
    public async Task Registration_completes_the_dummy_stage_and_returns_a_session_with_the_device()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        using var client = ClientFor(hs);

        var session = await client.RegisterAsync("walkie-ben", "pw", "BADGEBEN", "Ben's badge", cancellationToken: ct);

        Assert.Equal("@walkie-ben:test.local", session.UserId);
        Assert.Equal("BADGEBEN", session.DeviceId);
        Assert.Equal("@walkie-ben:test.local", (await client.WhoAmIAsync(ct)).UserId);
        await AssertRequestCountAsync(hs, 2, "POST", "/register");
    }

    [Fact]
    public async Task Registration_that_is_switched_off_is_a_clear_error()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(new TestHomeserverOptions { EnableRegistration = false }, ct);
        using var client = ClientFor(hs);

        var error = await Assert.ThrowsAsync<MatrixException>(() => client.RegisterAsync("walkie-ben", "pw", cancellationToken: ct));
        Assert.Equal(MatrixErrorCode.Forbidden, error.ErrorCode);
    }

    [Fact]
    public async Task After_logout_the_token_is_refused_and_the_client_asks_for_a_login_without_making_one()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, client) = NewClient(hs, "walkie-anna");
        using var _c = client;
        var session = client.Session!;

        await client.LogoutAsync(ct);
        Assert.Null(client.Session);

        using var stale = ClientFor(hs);
        stale.UseSession(session);
        var error = await Assert.ThrowsAsync<MatrixException>(() => stale.WhoAmIAsync(ct));
        Assert.True(error.IsUnknownToken);
        Assert.True(stale.NeedsLogin);
        Assert.Equal(0, CountRequests(hs, "POST", "/login"));
    }

    [Fact]
    public async Task Replacing_cross_signing_keys_answers_the_password_challenge()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var (user, client) = NewClient(hs, "walkie-anna");
        using var _c = client;

        await client.UploadCrossSigningKeysAsync(MasterKeyBody(user.UserId, 1), cancellationToken: ct);
        var refused = await Assert.ThrowsAsync<MatrixException>(() =>
            client.UploadCrossSigningKeysAsync(MasterKeyBody(user.UserId, 2), cancellationToken: ct));
        Assert.Contains("password", refused.Message);

        await client.UploadCrossSigningKeysAsync(MasterKeyBody(user.UserId, 2), user.Password, ct);

        var query = await client.QueryKeysAsync(new JsonObject { ["device_keys"] = new JsonObject { [user.UserId] = new JsonArray() } }, ct);
        var master = query.MasterKeys![user.UserId];
        Assert.Equal(MasterKeyBody(user.UserId, 2)["master_key"]!["keys"]!.ToJsonString(), master["keys"]!.ToJsonString());
    }

    private static JsonObject MasterKeyBody(string userId, byte seed)
    {
        var publicKey = Convert.ToBase64String(Enumerable.Repeat(seed, 32).Select(b => (byte)b).ToArray()).TrimEnd('=');
        return new JsonObject
        {
            ["master_key"] = new JsonObject
            {
                ["user_id"] = userId,
                ["usage"] = new JsonArray("master"),
                ["keys"] = new JsonObject { ["ed25519:" + publicKey] = publicKey },
            },
        };
    }
}
