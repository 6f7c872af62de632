using System.Net;
using System.Net.Http.Headers;
using System.Text;
using WalkieTalkie.Gateway.Http;
using WalkieTalkie.Gateway.Tests.Support;

namespace WalkieTalkie.Gateway.Tests.Hostile;

/// <summary>
/// Failed logins back off, per claimed badge id and per address, on MQTT and on the HTTP endpoint: past a few
/// failures even the right secret waits, so guessing costs the guesser time and the gateway no CPU.
/// </summary>
public sealed class LoginThrottleTests
{
    private static async Task<TestGateway> StartAsync(bool http = false)
    {
        var g = TestGateway.Create();
        g.AddBadge("anna");
        g.AddBadge("eve");
        if (http)
        {
            g.Http = new HttpOptions { BindAddress = "127.0.0.1", Port = FreePort.Next(), TlsPort = 0 };
        }

        return await g.StartAsync();
    }

    private static async Task<TestBadge?> ConnectWhenAllowedAsync(TestGateway g, string id) =>
        await Eventually.ValueAsync(async () =>
        {
            try
            {
                return await TestBadge.ConnectAsync(g.BadgePort, id, g.Secrets[id]);
            }
            catch (ConnectRefusedException)
            {
                return null;
            }
        }, 20000);

    [Fact]
    public async Task Wrong_secrets_for_one_badge_make_even_its_right_secret_wait()
    {
        await using var g = await StartAsync();
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<ConnectRefusedException>(() => TestBadge.ConnectAsync(g.BadgePort, "eve", "guess-" + i));
        }

        await Assert.ThrowsAsync<ConnectRefusedException>(() => TestBadge.ConnectAsync(g.BadgePort, "eve", g.Secrets["eve"]));
        Assert.True(g.Log.Contains("Refused connection", "eve", "backing off"));

        // Another badge from the same address is not held up by eve's failures.
        await using var anna = await TestBadge.ConnectAsync(g.BadgePort, "anna", g.Secrets["anna"]);

        // After the back-off the right secret works again.
        await using var eve = await ConnectWhenAllowedAsync(g, "eve");
        Assert.NotNull(eve);
    }

    [Fact]
    public async Task Many_failures_from_one_address_make_every_login_from_it_wait()
    {
        await using var g = await StartAsync();
        for (var i = 0; i < 20; i++)
        {
            await Assert.ThrowsAsync<ConnectRefusedException>(() => TestBadge.ConnectAsync(g.BadgePort, "nobody-" + i, "x"));
        }

        await Assert.ThrowsAsync<ConnectRefusedException>(() => TestBadge.ConnectAsync(g.BadgePort, "anna", g.Secrets["anna"]));
        Assert.True(g.Log.Contains("Refused connection", "anna", "backing off"));
        await using var anna = await ConnectWhenAllowedAsync(g, "anna");
        Assert.NotNull(anna);
    }

    [Fact]
    public async Task Wrong_basic_passwords_make_the_config_endpoint_answer_429_until_the_back_off_ends()
    {
        await using var g = await StartAsync(http: true);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{g.Http!.Port}") };

        async Task<HttpResponseMessage> GetAsync(string password)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/badge/v1/anna/config");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("anna:" + password)));
            return await client.SendAsync(request);
        }

        for (var i = 0; i < 5; i++)
        {
            using var wrong = await GetAsync("guess-" + i);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var throttled = await GetAsync(g.Secrets["anna"]))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
            Assert.NotNull(throttled.Headers.RetryAfter?.Delta);
        }

        var ok = await Eventually.ValueAsync(async () =>
        {
            var response = await GetAsync(g.Secrets["anna"]);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return response;
            }

            response.Dispose();
            return null;
        }, 20000);
        Assert.NotNull(ok);
        ok.Dispose();
    }
}
