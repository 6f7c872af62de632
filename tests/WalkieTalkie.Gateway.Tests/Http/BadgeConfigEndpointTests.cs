using System.Net;
using System.Net.Http.Headers;
using System.Text;
using WalkieTalkie.Gateway.Http;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Http;

/// <summary><c>GET /badge/v1/{badgeId}/config</c> with the badge's credentials, over HTTP and HTTPS with the site certificate.</summary>
public sealed class BadgeConfigEndpointTests
{
    private static async Task<TestGateway> StartAsync(bool tls)
    {
        var g = TestGateway.Create();
        g.AddBadge("anna");
        g.AddBadge("ben");
        g.AddChannel(1, 16000, "anna", "ben");
        g.Channels.Add(2, "work", 8000, 20);
        g.Channels.Join(2, "anna");
        g.Permits.Grant("anna", 2, PermitBits.Receive, DateTimeOffset.UtcNow.AddDays(1), "boss", accepted: true);
        g.Http = tls
            ? new HttpOptions { BindAddress = "127.0.0.1", Port = 0, TlsPort = FreePort.Next() }
            : new HttpOptions { BindAddress = "127.0.0.1", Port = FreePort.Next(), TlsPort = 0 };
        return await g.StartAsync();
    }

    private static HttpClient Client(TestGateway g)
    {
        var tls = g.Http!.TlsPort > 0;
        var handler = new HttpClientHandler();
        if (tls)
        {
            // The badge's trust anchor is the site certificate itself: accept exactly that one.
            var site = g.Host.Certificate!;
            handler.ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.RawData.AsSpan().SequenceEqual(site.RawData);
        }

        return new HttpClient(handler)
        {
            BaseAddress = new Uri(tls ? $"https://localhost:{g.Http.TlsPort}" : $"http://127.0.0.1:{g.Http.Port}"),
            Timeout = TimeSpan.FromSeconds(10),
        };
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string badge, AuthenticationHeaderValue? auth)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/badge/v1/{badge}/config");
        request.Headers.Authorization = auth;
        return await client.SendAsync(request);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_badge_gets_exactly_the_config_message_it_gets_on_mqtt(bool tls)
    {
        await using var g = await StartAsync(tls);
        var anna = await g.ConnectAsync("anna");
        var overMqtt = await anna.WaitForAsync<Config>();
        using var client = Client(g);

        using var response = await GetAsync(client, "anna", Basic("anna", g.Secrets["anna"]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(overMqtt.ToBytes(), bytes);

        var reader = new ControlMessageReader();
        Assert.Equal(ProtocolError.None, reader.Read(bytes, 0, bytes.Length, ControlDirection.Downlink));
        var config = Assert.IsType<Config>(reader.Message);
        Assert.Equal(2, config.Channels.Length);
        Assert.Equal(PermitBits.Known, config.Find(1)!.Permits);
        Assert.Equal(1, config.Find(1)!.RateCode);
        Assert.Equal(PermitBits.Receive, config.Find(2)!.Permits);
        Assert.NotEqual(0u, config.Find(2)!.PermitUntil);
        Assert.Equal("work", config.Find(2)!.Name);
    }

    [Fact]
    public async Task Bad_or_missing_credentials_get_401_with_a_basic_challenge()
    {
        await using var g = await StartAsync(tls: false);
        using var client = Client(g);
        foreach (var auth in new AuthenticationHeaderValue?[]
                 {
                     null, Basic("anna", "wrong"), Basic("anna", g.Secrets["ben"]), Basic("nobody", "x"), new("Basic", "%%%not-base64"),
                     new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("no-colon"))), new("Bearer", g.Secrets["anna"]),
                 })
        {
            using var response = await GetAsync(client, "anna", auth);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }

        Assert.True(g.Log.Contains("Refused config request", "anna"));
    }

    [Fact]
    public async Task Another_badges_config_is_403()
    {
        await using var g = await StartAsync(tls: false);
        using var client = Client(g);
        using var response = await GetAsync(client, "ben", Basic("anna", g.Secrets["anna"]));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        using var unknown = await GetAsync(client, "zed", Basic("anna", g.Secrets["anna"]));
        Assert.Equal(HttpStatusCode.Forbidden, unknown.StatusCode);
        Assert.True(g.Log.Contains("Refused config request of badge anna for badge ben"));
    }

    [Fact]
    public async Task The_config_follows_registry_changes()
    {
        await using var g = await StartAsync(tls: false);
        using var client = Client(g);
        var before = await (await GetAsync(client, "ben", Basic("ben", g.Secrets["ben"]))).Content.ReadAsByteArrayAsync();
        g.Channels.Join(2, "ben");
        g.Permits.Grant("ben", 2, PermitBits.Known, null, "boss", accepted: true);
        var reader = new ControlMessageReader();
        Assert.True(await Eventually.TrueAsync(() =>
        {
            var bytes = GetAsync(client, "ben", Basic("ben", g.Secrets["ben"])).Result.Content.ReadAsByteArrayAsync().Result;
            return reader.Read(bytes, 0, bytes.Length, ControlDirection.Downlink) == ProtocolError.None
                   && ((Config)reader.Message).Find(2)?.Permits == PermitBits.Known;
        }));
        Assert.Equal(ProtocolError.None, reader.Read(before, 0, before.Length, ControlDirection.Downlink));
        Assert.Null(((Config)reader.Message).Find(2));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic")]
    [InlineData("Basic ")]
    [InlineData("Basic YW5uYQ==")]
    [InlineData("Digest abc")]
    public void Malformed_basic_headers_are_no_credentials(string? header) => Assert.Null(BasicCredentials.Parse(header));

    [Fact]
    public void A_password_may_hold_a_colon()
    {
        var header = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("anna:a:b"));
        Assert.Equal(("anna", "a:b"), BasicCredentials.Parse(header));
    }
}
