using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.WebWalkie.Tests.Support;

namespace WalkieTalkie.WebWalkie.Tests;

/// <summary>
/// Issue 14, the console's Matrix parts against the test homeserver. Item 3: an admin links a channel to a room (the
/// steps of <c>walkie channel link</c>, through the same application layer). Linked by alias, the room is set up and the
/// link audited, the granter's password in no log line, audit entry or file; a granter that is not invited or lacks power
/// comes back as the reasons, not a 500; a member is refused; the page links and shows the room. Item 4: an admin
/// grants and withdraws a Matrix device's permit in the room (as <c>walkie permit grant --device</c>) and the console
/// lists the room's permits and accepts as they are in the room, pending until the device opts in.
/// </summary>
public sealed class ConsoleMatrixTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const string GranterPassword = "granter-secret-7731";
    private const string ChannelEvent = "org.matrix.msc4002.channel";
    private const string PermitEvent = "org.matrix.msc4002.permit";
    private const string AcceptEvent = "org.matrix.msc4002.accept";

    private readonly TestLog _log = new(output);

    private sealed record Site(TestHomeserver.TestHomeserver Home, HttpClient AsMum, string Granter) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            AsMum.Dispose();
            await Home.DisposeAsync();
        }
    }

    private static async Task<Site> StartHomeserverAsync()
    {
        var home = await TestHomeserver.TestHomeserver.StartAsync(new TestHomeserver.TestHomeserverOptions { ServerName = "home.test" });
        var mum = home.RegisterUser("mum", "mum-password").UserId;
        var granter = home.RegisterUser("walkie-granter", GranterPassword).UserId;
        var asMum = new HttpClient { BaseAddress = home.BaseUrl };
        asMum.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", home.CreateSession(mum, "LAPTOP").AccessToken);
        return new Site(home, asMum, granter);
    }

    // Mum's room: with the granter invited at power level 100 (what a room admin does first), or not.
    private static async Task<string> CreateRoomAsync(Site site, string? alias, bool invite, bool power)
    {
        var body = new JsonObject { ["name"] = "Family" };
        if (alias is not null)
        {
            body["room_alias_name"] = alias;
        }

        if (invite)
        {
            body["invite"] = new JsonArray(site.Granter);
        }

        if (power)
        {
            body["power_level_content_override"] = new JsonObject { ["users"] = new JsonObject { ["@mum:home.test"] = 100, [site.Granter] = 100 } };
        }

        using var created = await site.AsMum.PostAsJsonAsync("_matrix/client/v3/createRoom", body);
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonObject>())!["room_id"]!.GetValue<string>();
    }

    private async Task<WebGateway> StartGatewayAsync(Site site)
    {
        var gateway = WebGateway.Create();
        gateway.AddBadge("kid");
        gateway.WebUsers.Add("lead", "lead-password", "admin");
        gateway.WebUsers.Add("mum", "mum-password", "member");
        gateway.AddChannel(1, "family", 8000, "kid", "mum");
        gateway.AddChannel(2, "office", 8000);
        var keyFile = Path.Combine(gateway.Directory, "store.key");
        await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        var matrix = new MatrixBridgeOptions { Homeserver = site.Home.BaseUrl.ToString(), StoreKeyFile = keyFile, SyncTimeout = TimeSpan.FromSeconds(2) };
        await gateway.StartAsync(_log, services: s => s.Replace(ServiceDescriptor.Singleton(Options.Create(matrix))));
        return gateway;
    }

    private static async Task<TestWebClient> SignInAsync(WebGateway gateway, string name)
    {
        var client = new TestWebClient(gateway.HttpPort);
        Assert.Equal(HttpStatusCode.OK, (await client.LoginAsync(name, name + "-password")).StatusCode);
        return client;
    }

    private Task<IPage> SignInPageAsync(WebGateway gateway, string user) => ConsoleBrowser.SignInAsync(browser, _log, gateway, user);

    private static Task OpenAsync(IPage page, WebGateway gateway, string path) => ConsoleBrowser.OpenAsync(page, gateway, path);

    private static async Task<(HttpStatusCode Status, JsonObject Body)> LinkAsync(TestWebClient client, int channel, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"console/v1/channels/{channel}/link") { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Walkie-Antiforgery", await client.AntiforgeryAsync());
        using var response = await client.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject());
    }

    private static string[] Lines(JsonObject answer, string key) => answer[key]!.AsArray().Select(l => l!.GetValue<string>()).ToArray();

    private static async Task<JsonArray> RoomStateAsync(Site site, string roomId) =>
        (await site.AsMum.GetFromJsonAsync<JsonArray>($"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/state"))!;

    [Fact]
    public async Task An_admin_links_a_channel_by_alias_the_room_is_set_up_and_the_link_audited_without_the_password()
    {
        await using var site = await StartHomeserverAsync();
        var roomId = await CreateRoomAsync(site, "family", invite: true, power: true);
        await using var gateway = await StartGatewayAsync(site);
        await using var lead = await SignInAsync(gateway, "lead");

        var (status, answer) = await LinkAsync(lead, 1, new { room = "#family:home.test", granter = site.Granter, granterPassword = GranterPassword });
        _log.Write("link: " + answer.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(answer["complete"]!.GetValue<bool>(), string.Join(" | ", Lines(answer, "notDone")));
        Assert.Equal(roomId, answer["room"]!.GetValue<string>());
        Assert.Contains(Lines(answer, "done"), l => l.StartsWith($"sent {ChannelEvent} (family, 8000 Hz)"));

        // The room as mum sees it: the granter is in it and wrote the channel event and the permit power levels.
        var state = await RoomStateAsync(site, roomId);
        Assert.Contains(state, e => e!["type"]!.GetValue<string>() == "m.room.member" && e["state_key"]!.GetValue<string>() == site.Granter
                                    && e["content"]!["membership"]!.GetValue<string>() == "join");
        var channel = Assert.Single(state, e => e!["type"]!.GetValue<string>() == ChannelEvent);
        Assert.Equal(site.Granter, channel!["sender"]!.GetValue<string>());
        var levels = Assert.Single(state, e => e!["type"]!.GetValue<string>() == "m.room.power_levels");
        Assert.Equal(50, levels!["content"]!["events"]!["org.matrix.msc4002.permit"]!.GetValue<int>());

        // The console's channel list and the CLI show the room; the audit names it and not the password.
        var channels = (await lead.Http.GetFromJsonAsync<JsonObject>("console/v1/channels"))!["channels"]!.AsArray();
        var family = channels.Single(c => c!["number"]!.GetValue<int>() == 1)!;
        Assert.Equal((roomId, site.Granter), (family["room"]!.GetValue<string>(), family["granter"]!.GetValue<string>()));
        Assert.Null(channels.Single(c => c!["number"]!.GetValue<int>() == 2)!["room"]);
        var audit = (await lead.Http.GetFromJsonAsync<JsonObject>("console/v1/audit"))!["entries"]!.ToJsonString();
        Assert.Contains("channel.link", audit);
        Assert.Contains($"room {roomId} (#family:home.test), granter {site.Granter}, room set up", audit);
        Assert.DoesNotContain(GranterPassword, audit);
        Assert.Contains(roomId, (await WalkieCli.RunAsync(gateway.Directory, "audit")).Output);

        Assert.DoesNotContain(_log.Lines, l => l.Contains(GranterPassword));

        // Stored nowhere: not in the database, its journal, the granter's session or any other file the gateway keeps.
        foreach (var file in Directory.EnumerateFiles(gateway.Directory, "*", SearchOption.AllDirectories))
        {
            var bytes = await ReadSharedAsync(file);
            Assert.False(bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(GranterPassword)) >= 0, $"the granter's password is in {file}");
        }
    }

    [Fact]
    public async Task A_granter_not_invited_or_without_power_is_told_why_bad_rooms_are_refused_and_a_member_gets_403()
    {
        await using var site = await StartHomeserverAsync();
        var notInvited = await CreateRoomAsync(site, null, invite: false, power: false);
        var powerless = await CreateRoomAsync(site, null, invite: true, power: false);
        await using var gateway = await StartGatewayAsync(site);
        await using var lead = await SignInAsync(gateway, "lead");

        var (status, answer) = await LinkAsync(lead, 1, new { room = notInvited, granter = site.Granter, granterPassword = GranterPassword });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(answer["complete"]!.GetValue<bool>());
        Assert.Contains(Lines(answer, "notDone"), l => l.Contains($"{site.Granter} could not join {notInvited}") && l.Contains("must invite it"));

        // Invited but at power level 0: it joins, and says which levels are missing (the session is held now: no password).
        (status, answer) = await LinkAsync(lead, 1, new { room = powerless, granter = site.Granter });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(answer["complete"]!.GetValue<bool>());
        var notDone = Lines(answer, "notDone");
        _log.Write("not done: " + string.Join(" | ", notDone));
        Assert.Contains(notDone, l => l.StartsWith($"{ChannelEvent} not sent: {site.Granter} has power level 0"));
        Assert.Contains(notDone, l => l.Contains($"{site.Granter} has power level 0 in the room, and permits need"));
        Assert.DoesNotContain(await RoomStateAsync(site, powerless), e => e!["type"]!.GetValue<string>() == ChannelEvent);
        var audit = (await lead.Http.GetFromJsonAsync<JsonObject>("console/v1/audit"))!["entries"]!.ToJsonString();
        Assert.Contains($"room {powerless}, granter {site.Granter}, {notDone.Length} room steps not done", audit);

        // Bad input is a 400 with the reason; nothing is linked by it.
        foreach (var (body, reason) in new (object, string)[]
                 {
                     (new { room = "family", granter = site.Granter }, "is not a room id"),
                     (new { room = "#nowhere:home.test", granter = site.Granter }, "the homeserver knows no room #nowhere:home.test"),
                 })
        {
            (status, answer) = await LinkAsync(lead, 2, body);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains(reason, answer["error"]!.GetValue<string>());
        }

        (status, answer) = await LinkAsync(lead, 9, new { room = powerless, granter = site.Granter });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("no channel 9", answer["error"]!.GetValue<string>());

        // A member may not link, not even its own channel.
        await using var mum = await SignInAsync(gateway, "mum");
        (status, _) = await LinkAsync(mum, 1, new { room = notInvited, granter = "@mum:home.test" });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        var channels = (await lead.Http.GetFromJsonAsync<JsonObject>("console/v1/channels"))!["channels"]!.AsArray();
        Assert.Equal(powerless, channels.Single(c => c!["number"]!.GetValue<int>() == 1)!["room"]!.GetValue<string>());
        Assert.Null(channels.Single(c => c!["number"]!.GetValue<int>() == 2)!["room"]);
    }

    [Fact]
    public async Task An_admin_links_from_the_channels_page_sees_what_was_not_done_then_the_room_and_its_matrix_to_link()
    {
        await using var site = await StartHomeserverAsync();
        var notInvited = await CreateRoomAsync(site, null, invite: false, power: false);
        var roomId = await CreateRoomAsync(site, "family", invite: true, power: true);
        await using var gateway = await StartGatewayAsync(site);
        var page = await SignInPageAsync(gateway, "lead");
        await OpenAsync(page, gateway, "console/channels");
        await page.WaitForSelectorAsync("#room-1", new PageWaitForSelectorOptions { Timeout = 120_000 });

        await page.FillAsync("#room-1", notInvited);
        await page.FillAsync("#granter-1", site.Granter);
        await page.FillAsync("#granter-password-1", GranterPassword);
        await page.ClickAsync("#link-1");
        await Assertions.Expect(page.Locator("#link-report-1 .not-done")).ToContainTextAsync("must invite it", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#console-status")).ToContainTextAsync("not set up");
        Assert.Equal("", await page.InputValueAsync("#granter-password-1"));
        await Screenshots.TakeAsync(page, "console-channel-link-not-invited");

        await page.FillAsync("#room-1", "#family:home.test");
        await page.ClickAsync("#link-1");
        var room = page.Locator("#channel-1 a.room-link");
        await Assertions.Expect(room).ToHaveTextAsync(roomId, new() { Timeout = 30_000 });
        Assert.Equal("https://matrix.to/#/" + Uri.EscapeDataString(roomId), await room.GetAttributeAsync("href"));
        await Assertions.Expect(page.Locator("#channel-1 .granter")).ToHaveTextAsync(site.Granter);
        await Assertions.Expect(page.Locator("#link-report-1 .not-done")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#link-report-1 .done")).ToContainTextAsync(ChannelEvent);
        Assert.DoesNotContain(GranterPassword, await page.ContentAsync());
        await Screenshots.TakeAsync(page, "console-channel-linked");
        Assert.Contains(await RoomStateAsync(site, roomId), e => e!["type"]!.GetValue<string>() == ChannelEvent);
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> SetDevicePermitAsync(TestWebClient client, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "console/v1/room-permits") { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Walkie-Antiforgery", await client.AntiforgeryAsync());
        using var response = await client.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject());
    }

    private static async Task<JsonObject?> RoomDeviceAsync(TestWebClient client, int channel, string device)
    {
        var rooms = (await client.Http.GetFromJsonAsync<JsonObject>("console/v1/room-permits"))!["rooms"]!.AsArray();
        var room = rooms.Single(r => r!["channel"]!.GetValue<int>() == channel)!;
        Assert.Null(room["error"]);
        return room["devices"]!.AsArray().Select(d => d!.AsObject())
            .SingleOrDefault(d => $"{d["user"]!.GetValue<string>()}/{d["device"]!.GetValue<string>()}" == device);
    }

    private static async Task AcceptAsync(Site site, string roomId, string user, string device)
    {
        var content = new JsonObject { ["user_id"] = user, ["device_id"] = device, ["receive"] = true };
        using var sent = await site.AsMum.PutAsJsonAsync(
            $"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/state/{AcceptEvent}/{Uri.EscapeDataString($"device/{user}/{device}")}", content);
        sent.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task An_admin_grants_and_withdraws_a_matrix_devices_permit_in_the_room_and_sees_its_accept_as_the_room_holds_it()
    {
        await using var site = await StartHomeserverAsync();
        var roomId = await CreateRoomAsync(site, "family", invite: true, power: true);
        await using var gateway = await StartGatewayAsync(site);
        await using var lead = await SignInAsync(gateway, "lead");
        Assert.True((await LinkAsync(lead, 1, new { room = roomId, granter = site.Granter, granterPassword = GranterPassword })).Body["complete"]!.GetValue<bool>());
        const string phone = "@mum:home.test/PHONE";

        var (status, answer) = await SetDevicePermitAsync(lead, new { channel = 1, device = phone, receive = true, send = false, seconds = 3600 });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(Lines(answer, "lines"), l => l.Contains("has not opted this device in yet"));
        // The way in is the walkie's own button (widget or phone page), not a client's developer tools.
        Assert.Contains(Lines(answer, "lines"), l => l.Contains("Receive walkie broadcasts on this device") && !l.Contains("devtools"));

        // In the room, from the granter; in the console, offered and waiting for the phone's own accept.
        var permit = Assert.Single(await RoomStateAsync(site, roomId), e => e!["type"]!.GetValue<string>() == PermitEvent);
        Assert.Equal(("device/" + phone, site.Granter), (permit!["state_key"]!.GetValue<string>(), permit["sender"]!.GetValue<string>()));
        var row = await RoomDeviceAsync(lead, 1, phone);
        Assert.NotNull(row);
        Assert.Equal(("receive", false, true, "none", site.Granter), (row["offered"]!.GetValue<string>(), row["accepted"]!.GetValue<bool>(),
            row["pending"]!.GetValue<bool>(), row["inForce"]!.GetValue<string>(), row["grantedBy"]!.GetValue<string>()));
        Assert.InRange(row["until"]!.GetValue<long>() - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 3500, 3600);

        // Mum opts the phone in (its accept is hers to send): in force now.
        await AcceptAsync(site, roomId, "@mum:home.test", "PHONE");
        row = await RoomDeviceAsync(lead, 1, phone);
        Assert.Equal((true, false, "receive"), (row!["accepted"]!.GetValue<bool>(), row["pending"]!.GetValue<bool>(), row["inForce"]!.GetValue<string>()));

        // A member of the channel sees its room's permits and may not change them.
        await using (var mum = await SignInAsync(gateway, "mum"))
        {
            Assert.Equal("receive", (await RoomDeviceAsync(mum, 1, phone))!["inForce"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.Forbidden, (await SetDevicePermitAsync(mum, new { channel = 1, device = "@mum:home.test/LAPTOP", receive = true, send = true })).Status);
        }

        // Bad input is a 400 with the reason.
        (status, answer) = await SetDevicePermitAsync(lead, new { channel = 1, device = "mum", receive = true, send = false });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("is not a device", answer["error"]!.GetValue<string>());
        (status, answer) = await SetDevicePermitAsync(lead, new { channel = 2, device = phone, receive = true, send = false });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("is not linked to a room", answer["error"]!.GetValue<string>());

        // Withdrawn: the room's permit allows nothing, and the accept alone does not.
        (status, _) = await SetDevicePermitAsync(lead, new { channel = 1, device = phone, receive = false, send = false });
        Assert.Equal(HttpStatusCode.OK, status);
        row = await RoomDeviceAsync(lead, 1, phone);
        Assert.Equal(("none", "none"), (row!["offered"]!.GetValue<string>(), row["inForce"]!.GetValue<string>()));
        var audit = (await lead.Http.GetFromJsonAsync<JsonObject>("console/v1/audit"))!["entries"]!.ToJsonString();
        Assert.Contains($"permit.device-grant", audit);
        Assert.Contains($"{phone} on channel 1", audit);
        Assert.Contains($"permit.device-revoke", audit);
        Assert.Matches("permit\\.device-revoke", (await WalkieCli.RunAsync(gateway.Directory, "audit")).Output);
    }

    [Fact]
    public async Task The_permits_page_lists_the_rooms_device_permits_and_an_admin_grants_and_withdraws_one()
    {
        await using var site = await StartHomeserverAsync();
        var roomId = await CreateRoomAsync(site, "family", invite: true, power: true);
        await using var gateway = await StartGatewayAsync(site);
        await using (var lead = await SignInAsync(gateway, "lead"))
        {
            Assert.True((await LinkAsync(lead, 1, new { room = roomId, granter = site.Granter, granterPassword = GranterPassword })).Body["complete"]!.GetValue<bool>());
        }

        var page = await SignInPageAsync(gateway, "lead");
        await OpenAsync(page, gateway, "console/permits");
        await page.WaitForSelectorAsync("#room-permits-1", new PageWaitForSelectorOptions { Timeout = 60_000 });
        await page.FillAsync("#device-permit-device", "@mum:home.test/PHONE");
        await page.FillAsync("#device-permit-channel", "1");
        await page.SelectOptionAsync("#device-permit-duration", "7200");
        await page.ClickAsync("#grant-device-permit");
        var row = page.Locator("#room-permits-1 tr.room-permit[data-device='@mum:home.test/PHONE']");
        await Assertions.Expect(row.Locator(".state")).ToHaveTextAsync("waiting for the device's accept", new() { Timeout = 30_000 });
        await Assertions.Expect(row.Locator(".offered")).ToHaveTextAsync("receive+send");
        await Assertions.Expect(page.Locator("#device-permit-lines")).ToContainTextAsync("has not opted this device in yet");
        await Screenshots.TakeAsync(page, "console-room-permits");

        // On a phone the room's table scrolls and its Matrix ids stay readable (not a column of single letters); at
        // desktop width it fits its box, the Withdraw button in sight.
        var idWidth = await row.Locator("td.matrix-id").First.EvaluateAsync<int>("cell => cell.clientWidth");
        Assert.True(idWidth >= 100, $"the device's cell is {idWidth} px wide at phone width");
        var viewport = page.ViewportSize!;
        await page.SetViewportSizeAsync(1280, 800);
        var overflow = await page.Locator("#room-permits-1 .table-scroll").EvaluateAsync<int>("box => box.scrollWidth - box.clientWidth");
        Assert.True(overflow <= 0, $"the room's permits table is {overflow} px wider than its box at 1280 px");
        await page.SetViewportSizeAsync(viewport.Width, viewport.Height);

        await AcceptAsync(site, roomId, "@mum:home.test", "PHONE");
        await OpenAsync(page, gateway, "console/permits");
        await Assertions.Expect(row.Locator(".in-force")).ToHaveTextAsync("receive+send", new() { Timeout = 30_000 });
        await row.Locator("button.withdraw").ClickAsync();
        await Assertions.Expect(row.Locator(".offered")).ToHaveTextAsync("none", new() { Timeout = 30_000 });
        await Assertions.Expect(row.Locator(".in-force")).ToHaveTextAsync("none");
        Assert.Contains(await RoomStateAsync(site, roomId), e => e!["type"]!.GetValue<string>() == PermitEvent
                                                              && e["content"]!["receive"]?.GetValue<bool>() == false);
    }

    // SQLite holds its files open: read them as another reader would.
    private static async Task<byte[]> ReadSharedAsync(string file)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
