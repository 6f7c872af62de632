using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WalkieTalkie.Gateway.Http;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Web;

/// <summary>
/// The console's API on a running gateway, as HTTP requests: no session is 401, a member's change is 403 and sees only
/// its own channels and devices, a change without the antiforgery token is refused, bad input is a 400 with a message,
/// and an admin's change reaches the running engine, the CLI and the audit trail (and the CLI's reaches the console).
/// </summary>
public class ConsoleApiTests
{
    private static async Task<TestGateway> StartAsync()
    {
        var g = TestGateway.Create();
        g.Http = new HttpOptions { BindAddress = "127.0.0.1", Port = FreePort.Next(), TlsPort = 0 };
        g.AddBadge("kid");
        g.AddBadge("dad");
        g.WebUsers.Add("mum", "mum-password", "member");
        g.WebUsers.Add("boss", "boss-password", "admin");
        g.AddChannel(1, 8000, "kid", "mum");
        g.AddChannel(2, 8000, "dad");
        return await g.StartAsync();
    }

    private static async Task<TestWebClient> SignInAsync(TestGateway g, string name)
    {
        var client = new TestWebClient(g.HttpPort);
        Assert.Equal(HttpStatusCode.OK, (await client.LoginAsync(name, name + "-password")).StatusCode);
        return client;
    }

    private static async Task<HttpResponseMessage> SendAsync(TestWebClient client, HttpMethod method, string path, object? body = null,
        bool withAntiforgery = true)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (withAntiforgery)
        {
            request.Headers.Add("X-Walkie-Antiforgery", await client.AntiforgeryAsync());
        }

        return await client.Http.SendAsync(request);
    }

    private static async Task<JsonObject> GetAsync(TestWebClient client, string path) => (await client.Http.GetFromJsonAsync<JsonObject>(path))!;

    private static string[] Ids(JsonObject answer, string list, string key) =>
        answer[list]!.AsArray().Select(x => x![key]!.ToString()).ToArray();

    private static async Task<string> ErrorOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>();

    [Fact]
    public async Task Without_a_session_every_console_request_is_401()
    {
        await using var g = await StartAsync();
        await using var anonymous = new TestWebClient(g.HttpPort);
        foreach (var path in new[] { "console/v1/me", "console/v1/badges", "console/v1/channels", "console/v1/permits", "console/v1/audit" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Http.GetAsync(path)).StatusCode);
        }

        using var add = await SendAsync(anonymous, HttpMethod.Post, "console/v1/badges", new { id = "eve" });
        Assert.Equal(HttpStatusCode.Unauthorized, add.StatusCode);
        Assert.DoesNotContain(g.Badges.List(), b => b.Id == "eve");
    }

    [Fact]
    public async Task The_consoles_addresses_lead_to_its_pages_in_the_web_app()
    {
        await using var g = await StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{g.HttpPort}/") };
        using var start = await http.GetAsync("console");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.Equal("/walkie/console/badges", start.Headers.Location!.ToString());
        using var permits = await http.GetAsync("console/permits");
        Assert.Equal("/walkie/console/permits", permits.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_member_sees_its_own_channel_and_device_only_and_every_change_is_403()
    {
        await using var g = await StartAsync();
        await using var mum = await SignInAsync(g, "mum");

        Assert.Equal(["1"], Ids(await GetAsync(mum, "console/v1/channels"), "channels", "number"));
        Assert.Equal(["mum"], Ids(await GetAsync(mum, "console/v1/badges"), "badges", "id"));
        Assert.All(Ids(await GetAsync(mum, "console/v1/permits"), "permits", "channel"), c => Assert.Equal("1", c));
        Assert.False((await GetAsync(mum, "console/v1/me"))["admin"]!.GetValue<bool>());

        var changes = new (HttpMethod, string, object?)[]
        {
            (HttpMethod.Post, "console/v1/badges", new { id = "eve" }),
            (HttpMethod.Post, "console/v1/badges/kid/name", new { value = "Mine" }),
            (HttpMethod.Post, "console/v1/badges/kid/secret", null),
            (HttpMethod.Post, "console/v1/badges/mum/priority", new { on = true }),
            (HttpMethod.Delete, "console/v1/badges/dad", null),
            (HttpMethod.Post, "console/v1/channels", new { number = 3, name = "mine" }),
            (HttpMethod.Post, "console/v1/channels/1/settings", new { name = "renamed" }),
            (HttpMethod.Post, "console/v1/channels/2/members", new { badge = "mum" }),
            (HttpMethod.Delete, "console/v1/channels/1/members/kid", null),
            (HttpMethod.Post, "console/v1/permits", new { badge = "mum", channel = 1, receive = true, send = true }),
            (HttpMethod.Delete, "console/v1/permits/kid/1", null),
        };
        var before = Snapshot(g);
        foreach (var (method, path, body) in changes)
        {
            using var response = await SendAsync(mum, method, path, body);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path}: {response.StatusCode}");
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await mum.Http.GetAsync("console/v1/audit")).StatusCode);
        Assert.Equal(before, Snapshot(g));
    }

    private static string Snapshot(TestGateway g) =>
        string.Join(";", g.Badges.List().Select(b => $"{b.Id}/{b.Name}/{b.SecretHash}/{b.Priority}"))
        + "|" + string.Join(";", g.Channels.List())
        + "|" + string.Join(";", g.Permits.List());

    [Fact]
    public async Task An_admin_change_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        await using var g = await StartAsync();
        await using var boss = await SignInAsync(g, "boss");
        using var response = await SendAsync(boss, HttpMethod.Post, "console/v1/badges", new { id = "eve" }, withAntiforgery: false);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("antiforgery", await ErrorOf(response));
        Assert.DoesNotContain(g.Badges.List(), b => b.Id == "eve");
    }

    [Theory]
    [InlineData("POST", "console/v1/badges", """{"id":"Not An Id"}""", "not a valid badge id")]
    [InlineData("POST", "console/v1/badges", """{"id":"kid"}""", "already exists")]
    [InlineData("POST", "console/v1/badges/kid/name", """{"value":"\u001b[31mred"}""", "control characters")]
    [InlineData("POST", "console/v1/badges/nobody/secret", "", "no badge 'nobody'")]
    [InlineData("POST", "console/v1/channels", """{"number":3,"name":"odd","sampleRate":11025}""", "8000 or 16000")]
    [InlineData("POST", "console/v1/channels", """{"number":3,"name":"family-1"}""", "already named")]
    [InlineData("POST", "console/v1/channels/1/settings", """{"maxTalkSeconds":0}""", "1-65535")]
    [InlineData("POST", "console/v1/channels/9/settings", """{"retentionDays":7}""", "no channel 9")]
    [InlineData("POST", "console/v1/permits", """{"badge":"dad","channel":1,"receive":true}""", "not a member")]
    [InlineData("POST", "console/v1/permits", """{"badge":"kid","channel":1,"receive":true,"seconds":-5}""", "lasts 1-")]
    [InlineData("DELETE", "console/v1/permits/dad/1", "", "holds no such permit")]
    public async Task Bad_input_is_a_400_with_the_application_layers_message_and_changes_nothing(string method, string path, string body, string message)
    {
        await using var g = await StartAsync();
        g.Channels.Rename(1, "family-1");
        await using var boss = await SignInAsync(g, "boss");
        var before = Snapshot(g);
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body.Length > 0)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        request.Headers.Add("X-Walkie-Antiforgery", await boss.AntiforgeryAsync());
        using var response = await boss.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await ErrorOf(response));
        Assert.Equal(before, Snapshot(g));
    }

    [Fact]
    public async Task An_admin_adds_a_badge_whose_secret_is_in_that_answer_only_and_works()
    {
        await using var g = await StartAsync();
        await using var boss = await SignInAsync(g, "boss");
        using var added = await SendAsync(boss, HttpMethod.Post, "console/v1/badges", new { id = "eve", name = "Eve" });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Contains("no-store", added.Headers.CacheControl!.ToString());
        var provisioning = (await added.Content.ReadFromJsonAsync<JsonObject>())!;
        var secret = provisioning["secret"]!.GetValue<string>();
        Assert.Equal(secret + "\n", provisioning["fileText"]!.GetValue<string>());
        Assert.Equal("eve.secret", provisioning["fileName"]!.GetValue<string>());
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, Convert.FromBase64String(provisioning["qrPngBase64"]!.GetValue<string>())[..4]);

        var list = await boss.Http.GetStringAsync("console/v1/badges");
        Assert.Contains("\"eve\"", list);
        Assert.DoesNotContain(secret, list);

        // The running gateway knows the badge at once: it signs in with that secret and gets its configuration.
        g.Secrets["eve"] = secret;
        await g.ConnectAsync("eve");

        // Rotating gives a new secret: the stored hash is the new secret's, and the old secret no longer matches.
        using var rotated = await SendAsync(boss, HttpMethod.Post, "console/v1/badges/eve/secret");
        var newSecret = (await rotated.Content.ReadFromJsonAsync<JsonObject>())!["secret"]!.GetValue<string>();
        Assert.NotEqual(secret, newSecret);
        var hash = g.Badges.List().Single(b => b.Id == "eve").SecretHash;
        Assert.Equal(SecretMatch.Matches, g.Hasher.Verify("eve", newSecret, hash));
        Assert.Equal(SecretMatch.NoMatch, g.Hasher.Verify("eve", secret, hash));
    }

    [Fact]
    public async Task An_admins_console_changes_reach_the_engine_the_cli_and_the_audit_and_the_clis_reach_the_console()
    {
        await using var g = await StartAsync();
        var dad = await g.ConnectAsync("dad");
        await using var boss = await SignInAsync(g, "boss");

        // Console → running engine: a new channel with dad in it comes to dad's badge as a configuration.
        Assert.Equal(HttpStatusCode.NoContent,
            (await SendAsync(boss, HttpMethod.Post, "console/v1/channels", new { number = 5, name = "night", sampleRate = 16000, maxTalkSeconds = 20 })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(boss, HttpMethod.Post, "console/v1/channels/5/members", new { badge = "dad" })).StatusCode);
        var config = await dad.WaitForAsync<Config>(c => c.Channels.Any(ch => ch.Channel == 5));
        Assert.Equal(SampleRate.FromHertz(16000), config.Channels.Single(ch => ch.Channel == 5).RateCode);

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(boss, HttpMethod.Post, "console/v1/badges/kid/name", new { value = "Kiddo" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent,
            (await SendAsync(boss, HttpMethod.Post, "console/v1/channels/5/settings", new { name = "late", retentionDays = 0, endTone = false })).StatusCode);

        // Console → CLI.
        var badges = await WalkieCli.RunAsync(g.Directory, "badge", "list");
        Assert.Matches(@"kid\s+Kiddo", badges.Output);
        var channels = await WalkieCli.RunAsync(g.Directory, "channel", "list");
        Assert.Matches(@"5 late\s+16000\s+20\s+off\s+for good dad", channels.Output);

        // CLI → console.
        Assert.Equal(0, (await WalkieCli.RunAsync(g.Directory, "badge", "add", "gran", "--name", "Gran")).ExitCode);
        Assert.Contains("gran", Ids(await GetAsync(boss, "console/v1/badges"), "badges", "id"));

        // Both are in the audit trail, who and through what, in the console and in walkie audit.
        var audit = (await GetAsync(boss, "console/v1/audit"))["entries"]!.AsArray();
        Assert.Contains(audit, e => e!["action"]!.ToString() == "badge.rename" && e["actor"]!.ToString() == "boss" && e["via"]!.ToString() == "console"
            && e["target"]!.ToString() == "kid" && e["detail"]!.ToString() == "name 'Kiddo'");
        Assert.Contains(audit, e => e!["action"]!.ToString() == "badge.add" && e["via"]!.ToString() == "cli" && e["target"]!.ToString() == "gran");
        var cliAudit = await WalkieCli.RunAsync(g.Directory, "audit");
        Assert.Equal(0, cliAudit.ExitCode);
        Assert.Matches(@"boss\s+console\s+channel\.add\s+channel 5", cliAudit.Output);
        Assert.Matches(@"cli\s+badge\.add\s+gran", cliAudit.Output);

        // A member of the new channel sees it now; a removed badge is gone from everywhere.
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(boss, HttpMethod.Delete, "console/v1/badges/gran")).StatusCode);
        Assert.DoesNotContain("gran", (await WalkieCli.RunAsync(g.Directory, "badge", "list")).Output);
    }

    [Fact]
    public async Task A_time_limited_permit_is_in_force_then_expires_and_can_be_withdrawn()
    {
        await using var g = await StartAsync();
        await using var boss = await SignInAsync(g, "boss");
        g.Permits.Revoke("kid", 1);
        Assert.Equal(HttpStatusCode.NoContent,
            (await SendAsync(boss, HttpMethod.Post, "console/v1/permits", new { badge = "kid", channel = 1, receive = true, send = true, seconds = 2, accepted = true }))
            .StatusCode);
        JsonNode? Kid(JsonObject answer) => answer["permits"]!.AsArray().Single(p => p!["badge"]!.ToString() == "kid");
        var granted = Kid(await GetAsync(boss, "console/v1/permits"))!;
        Assert.Equal("receive+send", granted["inForce"]!.ToString());
        Assert.Equal("boss", granted["offeredBy"]!.ToString());
        Assert.NotNull(granted["until"]);

        var cli = await WalkieCli.RunAsync(g.Directory, "permit", "list");
        Assert.Matches(@"kid\s+1 receive\+send\s+receive\+send", cli.Output);

        await Task.Delay(TimeSpan.FromSeconds(3));
        var expired = Kid(await GetAsync(boss, "console/v1/permits"))!;
        Assert.True(expired["expired"]!.GetValue<bool>());
        Assert.Equal("none", expired["inForce"]!.ToString());

        // Withdrawn, it is gone; a new offer not accepted waits for the badge's accept; withdrawing that removes it too.
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(boss, HttpMethod.Delete, "console/v1/permits/kid/1")).StatusCode);
        Assert.DoesNotContain((await GetAsync(boss, "console/v1/permits"))["permits"]!.AsArray(), p => p!["badge"]!.ToString() == "kid");
        Assert.Equal(HttpStatusCode.NoContent,
            (await SendAsync(boss, HttpMethod.Post, "console/v1/permits", new { badge = "kid", channel = 1, receive = true, send = false, accepted = false }))
            .StatusCode);
        var pending = Kid(await GetAsync(boss, "console/v1/permits"))!;
        Assert.True(pending["pending"]!.GetValue<bool>());
        Assert.Null(pending["until"]);
        Assert.Equal("none", pending["inForce"]!.ToString());
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(boss, HttpMethod.Delete, "console/v1/permits/kid/1")).StatusCode);
        Assert.DoesNotContain((await GetAsync(boss, "console/v1/permits"))["permits"]!.AsArray(), p => p!["badge"]!.ToString() == "kid");
    }
}
