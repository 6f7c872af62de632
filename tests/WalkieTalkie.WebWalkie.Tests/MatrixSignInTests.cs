using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using WalkieTalkie.Gateway.Storage.Sqlite.Bridge;
using WalkieTalkie.Gateway.Storage.Sqlite.Web;
using WalkieTalkie.TestHomeserver;
using WalkieTalkie.WebWalkie.Tests.Support;

namespace WalkieTalkie.WebWalkie.Tests;

/// <summary>
/// The widget's and the phone page's way in, over HTTP as the page makes it: an OpenID token from the user's homeserver
/// (the test homeserver's OpenID endpoints), verified by the gateway at that homeserver every time. A good token becomes
/// a session for the user's own device in the linked room's channel; a forged, an expired, or another server's token is
/// refused and logged once per reason.
/// </summary>
public sealed class MatrixSignInTests(ITestOutputHelper output)
{
    private const string Room = "!family:home.test";

    private readonly TestLog _log = new(output);

    private static async Task<string> OpenIdTokenAsync(TestHomeserver.TestHomeserver hs, TestSession session)
    {
        using var http = new HttpClient { BaseAddress = hs.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessToken);
        using var response = await http.PostAsJsonAsync($"_matrix/client/v3/user/{Uri.EscapeDataString(session.UserId)}/openid/request_token", new JsonObject());
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>();
    }

    private static Task<HttpResponseMessage> SessionAsync(HttpClient gateway, string token, string server, string device = "PHONE1") =>
        gateway.PostAsJsonAsync("walkie/v1/matrix/session", new { accessToken = token, matrixServerName = server, deviceId = device, roomId = Room });

    [Fact]
    public async Task A_good_token_is_a_session_and_a_forged_expired_or_other_server_token_is_refused()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var home = await TestHomeserver.TestHomeserver.StartAsync(new TestHomeserverOptions { ServerName = "home.test", Clock = clock });
        await using var other = await TestHomeserver.TestHomeserver.StartAsync(new TestHomeserverOptions { ServerName = "other.test" });
        var mum = home.CreateSession(home.RegisterUser("mum", "mum-password").UserId, "PHONE1");
        var eve = other.CreateSession(other.RegisterUser("eve", "eve-password").UserId, "EVE1");

        await using var gateway = WebGateway.Create();
        gateway.AddBadge("kid");
        gateway.AddChannel(1, "family", 8000, "kid");
        new SqliteMatrixLinks(gateway.Database, gateway.Recordings).SaveChannel("family", Room, "@granter:home.test");
        await gateway.StartAsync(_log, web => web.MatrixServers = new Dictionary<string, string>
        {
            ["home.test"] = home.BaseUrl.ToString(),
            ["other.test"] = other.BaseUrl.ToString(),
        });
        using var http = new HttpClient { BaseAddress = new Uri(gateway.Origin + "/") };

        // A good token: the user's own device joins the room's channel, and the session gets a socket ticket.
        using (var good = await SessionAsync(http, await OpenIdTokenAsync(home, mum), "home.test"))
        {
            Assert.Equal(HttpStatusCode.OK, good.StatusCode);
            var session = (await good.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal(mum.UserId, session["user"]!.GetValue<string>());
            Assert.Equal(1, session["channel"]!.GetValue<int>());
            var device = session["device"]!.GetValue<string>();
            var joined = Assert.Single(new SqliteWebDeviceStore(gateway.Database).MatrixDevicesOf(1));
            Assert.Equal(device, joined.Id);
            Assert.Equal(mum.UserId, joined.Owner);

            using var ticket = new HttpRequestMessage(HttpMethod.Post, "walkie/v1/ticket");
            ticket.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session["session"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(ticket)).StatusCode);
        }

        // Forged: the homeserver has never issued it.
        using (var forged = await SessionAsync(http, "forgedforgedforgedforged", "home.test"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }

        // Another server's token, claimed to be of the allowed server: that server does not know it.
        using (var claimed = await SessionAsync(http, await OpenIdTokenAsync(other, eve), "home.test", "EVE1"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, claimed.StatusCode);
        }

        // A server this gateway does not trust is never asked.
        using (var unknown = await SessionAsync(http, "whatever-token", "evil.test", "EVE1"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        }

        // Expired: issued, then an hour passes at the homeserver.
        var late = await OpenIdTokenAsync(home, mum);
        clock.Advance(TimeSpan.FromSeconds(3601));
        using (var expired = await SessionAsync(http, late, "home.test"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        }

        // No session came of the refusals: only mum's device joined the channel.
        Assert.Single(new SqliteWebDeviceStore(gateway.Database).MatrixDevicesOf(1));
        Assert.Equal(1, _log.Count("Refused Matrix sign-in", "forged or expired"));
        Assert.Equal(1, _log.Count("Refused Matrix sign-in", "server not allowed"));
    }
}
