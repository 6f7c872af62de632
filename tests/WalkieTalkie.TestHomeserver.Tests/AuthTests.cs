using System.Net;
using System.Text.Json.Nodes;
using static WalkieTalkie.TestHomeserver.Tests.Fixtures;

namespace WalkieTalkie.TestHomeserver.Tests;

public sealed class AuthTests
{
    private static JsonObject PasswordLogin(string user, string password, string? deviceId = null)
    {
        var body = new JsonObject
        {
            ["type"] = "m.login.password",
            ["identifier"] = new JsonObject { ["type"] = "m.id.user", ["user"] = user },
            ["password"] = password,
        };
        if (deviceId is not null)
        {
            body["device_id"] = deviceId;
        }

        return body;
    }

    [Fact]
    public async Task Requests_without_a_valid_access_token_get_the_spec_errors()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        using var anonymous = new MatrixHttpClient(hs.BaseUrl);
        (await anonymous.GetAsync("_matrix/client/v3/sync", ct)).AssertError(HttpStatusCode.Unauthorized, "M_MISSING_TOKEN");
        anonymous.AccessToken = "syt_forged";
        var unknown = await anonymous.GetAsync("_matrix/client/v3/account/whoami", ct);
        unknown.AssertError(HttpStatusCode.Unauthorized, "M_UNKNOWN_TOKEN");
        Assert.False(unknown.Json!["soft_logout"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Password_login_creates_or_reuses_a_device_and_logout_ends_the_token_and_the_device()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var user = hs.RegisterUser("alice", "secret");
        using var client = new MatrixHttpClient(hs.BaseUrl);

        (await client.PostAsync("_matrix/client/v3/login", PasswordLogin("alice", "wrong"))).AssertError(HttpStatusCode.Forbidden, "M_FORBIDDEN");
        (await client.PostAsync("_matrix/client/v3/login", PasswordLogin("nobody", "secret"))).AssertError(HttpStatusCode.Forbidden, "M_FORBIDDEN");
        (await client.PostAsync("_matrix/client/v3/login", new JsonObject { ["type"] = "m.login.token" })).AssertError(HttpStatusCode.BadRequest, "M_UNKNOWN");

        var login = await client.OkAsync(HttpMethod.Post, "_matrix/client/v3/login", PasswordLogin("alice", "secret", "BADGE1"));
        Assert.Equal(user.UserId, login["user_id"]!.GetValue<string>());
        Assert.Equal("BADGE1", login["device_id"]!.GetValue<string>());
        var again = await client.OkAsync(HttpMethod.Post, "_matrix/client/v3/login", PasswordLogin(user.UserId, "secret", "BADGE1"));
        Assert.Equal(["BADGE1"], hs.DeviceIds(user.UserId));

        client.AccessToken = again["access_token"]!.GetValue<string>();
        var whoami = await client.OkAsync(HttpMethod.Get, "_matrix/client/v3/account/whoami");
        Assert.Equal("BADGE1", whoami["device_id"]!.GetValue<string>());
        await client.OkAsync(HttpMethod.Post, "_matrix/client/v3/logout");
        (await client.GetAsync("_matrix/client/v3/account/whoami", ct)).AssertError(HttpStatusCode.Unauthorized, "M_UNKNOWN_TOKEN");
        Assert.Empty(hs.DeviceIds(user.UserId));
    }

    [Fact]
    public async Task Registration_runs_the_dummy_auth_stage_and_rejects_taken_or_invalid_names()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        using var client = new MatrixHttpClient(hs.BaseUrl);
        var body = new JsonObject { ["username"] = "alice", ["password"] = "secret" };

        var challenge = await client.PostAsync("_matrix/client/v3/register", (JsonObject)body.DeepClone());
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.Status);
        Assert.Null(challenge.Errcode);
        Assert.Equal("m.login.dummy", challenge.Json!["flows"]![0]!["stages"]![0]!.GetValue<string>());

        var withAuth = (JsonObject)body.DeepClone();
        withAuth["auth"] = new JsonObject { ["type"] = "m.login.dummy", ["session"] = challenge.Json["session"]!.GetValue<string>() };
        var registered = await client.OkAsync(HttpMethod.Post, "_matrix/client/v3/register", withAuth);
        Assert.Equal("@alice:test.local", registered["user_id"]!.GetValue<string>());
        Assert.NotNull(registered["access_token"]);

        (await client.PostAsync("_matrix/client/v3/register", (JsonObject)body.DeepClone())).AssertError(HttpStatusCode.BadRequest, "M_USER_IN_USE");
        (await client.PostAsync("_matrix/client/v3/register", new JsonObject { ["username"] = "Bad Name!", ["password"] = "x" }))
            .AssertError(HttpStatusCode.BadRequest, "M_INVALID_USERNAME");
        (await client.GetAsync("_matrix/client/v3/register/available?username=alice", ct)).AssertError(HttpStatusCode.BadRequest, "M_USER_IN_USE");
    }

    [Fact]
    public async Task Unknown_endpoints_wrong_methods_and_bad_json_get_Matrix_errors()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        using var _a = alice;
        (await alice.GetAsync("_matrix/client/v3/no/such/endpoint", ct)).AssertError(HttpStatusCode.NotFound, "M_UNRECOGNIZED");
        (await alice.SendAsync(HttpMethod.Delete, "_matrix/client/v3/sync")).AssertError(HttpStatusCode.MethodNotAllowed, "M_UNRECOGNIZED");

        using var request = new HttpRequestMessage(HttpMethod.Post, "_matrix/client/v3/createRoom")
        {
            Content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"),
        };
        (await alice.SendRawAsync(request)).AssertError(HttpStatusCode.BadRequest, "M_NOT_JSON");
        var versions = await alice.OkAsync(HttpMethod.Get, "_matrix/client/versions");
        Assert.Contains("v1.11", Strings(versions["versions"]));
        Assert.Empty(hs.ServerErrors);
    }

    [Fact]
    public async Task Deleting_a_device_needs_the_password()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (user, session, alice) = NewUser(hs, "alice");
        using var _a = alice;
        var other = hs.CreateSession(user.UserId);
        var path = "_matrix/client/v3/devices/" + other.DeviceId;
        var challenge = await alice.SendAsync(HttpMethod.Delete, path, new JsonObject());
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.Status);
        await alice.OkAsync(HttpMethod.Delete, path, new JsonObject
        {
            ["auth"] = new JsonObject
            {
                ["type"] = "m.login.password", ["password"] = user.Password,
                ["identifier"] = new JsonObject { ["type"] = "m.id.user", ["user"] = user.UserId },
            },
        });
        Assert.Equal([session.DeviceId], hs.DeviceIds(user.UserId));
    }
}
