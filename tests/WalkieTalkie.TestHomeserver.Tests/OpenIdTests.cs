using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using static WalkieTalkie.TestHomeserver.Tests.Fixtures;

namespace WalkieTalkie.TestHomeserver.Tests;

/// <summary>OpenID as Synapse serves it: a token for one's own user, checked by a third party at the federation userinfo endpoint.</summary>
public sealed class OpenIdTests
{
    [Fact]
    public async Task A_token_names_its_user_at_userinfo_until_it_expires()
    {
        var ct = Bounded();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var hs = await TestHomeserver.StartAsync(new TestHomeserverOptions { Clock = clock }, ct);
        var alice = hs.RegisterUser("alice", "secret");
        using var client = MatrixHttpClient.For(hs, hs.CreateSession(alice.UserId));

        var token = await client.OkAsync(HttpMethod.Post, $"_matrix/client/v3/user/{Uri.EscapeDataString(alice.UserId)}/openid/request_token", new JsonObject());
        Assert.Equal("Bearer", token["token_type"]!.GetValue<string>());
        Assert.Equal(hs.ServerName, token["matrix_server_name"]!.GetValue<string>());
        Assert.Equal(3600, token["expires_in"]!.GetValue<int>());
        var accessToken = token["access_token"]!.GetValue<string>();
        Assert.Equal(24, accessToken.Length);

        using var third = new MatrixHttpClient(hs.BaseUrl);
        var info = await third.OkAsync(HttpMethod.Get, "_matrix/federation/v1/openid/userinfo?access_token=" + Uri.EscapeDataString(accessToken));
        Assert.Equal(alice.UserId, info["sub"]!.GetValue<string>());
        Assert.Single(info);
        // Still good while it lives.
        await third.OkAsync(HttpMethod.Get, "_matrix/federation/v1/openid/userinfo?access_token=" + Uri.EscapeDataString(accessToken));

        clock.Advance(TimeSpan.FromSeconds(3601));
        (await third.GetAsync("_matrix/federation/v1/openid/userinfo?access_token=" + Uri.EscapeDataString(accessToken), ct))
            .AssertError(HttpStatusCode.Unauthorized, "M_UNKNOWN_TOKEN");
    }

    [Fact]
    public async Task Unknown_tokens_and_other_users_are_refused()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var alice = hs.RegisterUser("alice", "secret");
        var bob = hs.RegisterUser("bob", "secret");
        using var client = MatrixHttpClient.For(hs, hs.CreateSession(alice.UserId));

        (await client.PostAsync($"_matrix/client/v3/user/{Uri.EscapeDataString(bob.UserId)}/openid/request_token"))
            .AssertError(HttpStatusCode.Forbidden, "M_FORBIDDEN");
        using var anonymous = new MatrixHttpClient(hs.BaseUrl);
        (await anonymous.PostAsync($"_matrix/client/v3/user/{Uri.EscapeDataString(alice.UserId)}/openid/request_token"))
            .AssertError(HttpStatusCode.Unauthorized, "M_MISSING_TOKEN");
        (await anonymous.GetAsync("_matrix/federation/v1/openid/userinfo?access_token=forgedforgedforgedforged", ct))
            .AssertError(HttpStatusCode.Unauthorized, "M_UNKNOWN_TOKEN");
        (await anonymous.GetAsync("_matrix/federation/v1/openid/userinfo", ct)).AssertError(HttpStatusCode.Unauthorized, "M_UNKNOWN_TOKEN");
    }

    [Fact]
    public async Task Browsers_get_cors_headers_and_a_preflight_answer()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        using var http = new HttpClient { BaseAddress = hs.BaseUrl };
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "_matrix/client/v3/login");
        preflight.Headers.Add("Origin", "http://127.0.0.1:9");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var answer = await http.SendAsync(preflight, ct);
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal("*", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("Authorization", answer.Headers.GetValues("Access-Control-Allow-Headers").Single());

        using var flows = await http.GetAsync("_matrix/client/v3/login", ct);
        Assert.Equal("*", flows.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
