using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using WalkieTalkie.Gateway.MatrixBridge.Linking;
using WalkieTalkie.Gateway.Storage.Sqlite.Bridge;
using WalkieTalkie.Gateway.Storage.Sqlite.Web;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.WebWalkie.Tests.Support;

namespace WalkieTalkie.WebWalkie.Tests;

/// <summary>
/// Issue 12, "Done when", the widget path: a host page embeds the web walkie with matrix-widget-api's
/// <c>ClientWidgetApi</c> and a <c>WidgetDriver</c> as Element does, against the test homeserver. The widget asks for its
/// capabilities and always-on-screen, proves the user with an OpenID token the gateway checks at the homeserver, and
/// opting in from the widget writes the device's accept into the room through the widget API.
/// </summary>
public sealed class WidgetPathTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const string AcceptType = "org.matrix.msc4002.accept";

    private readonly TestLog _log = new(output);

    [Fact]
    public async Task Inside_a_widget_host_the_walkie_signs_in_with_openid_and_opting_in_writes_the_accept_into_the_room()
    {
        await using var home = await TestHomeserver.TestHomeserver.StartAsync(new TestHomeserver.TestHomeserverOptions { ServerName = "home.test" });
        var mum = home.CreateSession(home.RegisterUser("mum", "mum-password").UserId, "ELEMENT1");
        using var asMum = new HttpClient { BaseAddress = home.BaseUrl };
        asMum.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", mum.AccessToken);
        using var created = await asMum.PostAsJsonAsync("_matrix/client/v3/createRoom", new JsonObject { ["name"] = "Family" });
        created.EnsureSuccessStatusCode();
        var roomId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["room_id"]!.GetValue<string>();

        await using var gateway = WebGateway.Create();
        gateway.AddBadge("kid");
        gateway.AddChannel(1, "family", 8000, "kid");
        new SqliteMatrixLinks(gateway.Database, gateway.Recordings).SaveChannel("family", roomId, mum.UserId);
        await gateway.StartAsync(_log, web =>
        {
            web.MatrixServers = new Dictionary<string, string> { ["home.test"] = home.BaseUrl.ToString() };
            web.AllowedOrigins = [WidgetHostPage.Origin];
        });

        var page = await browser.Chromium.NewPageAsync(_log.Write, width: 1280, height: 900);
        await using var _ = new WalkiePage(page);
        // What Element's client does for the driver, as mum: an OpenID token, a state event sent, the room's state read.
        await page.ExposeFunctionAsync("hostOpenId", async () =>
        {
            using var response = await asMum.PostAsJsonAsync($"_matrix/client/v3/user/{Uri.EscapeDataString(mum.UserId)}/openid/request_token", new JsonObject());
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadAsStringAsync();
        });
        await page.ExposeFunctionAsync("hostSendState", async (string type, string stateKey, string content) =>
        {
            using var response = await asMum.PutAsync($"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/state/{Uri.EscapeDataString(type)}/{Uri.EscapeDataString(stateKey)}",
                new StringContent(content, System.Text.Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!["event_id"]!.GetValue<string>();
        });
        await page.ExposeFunctionAsync("hostRoomState", async (string type, string? stateKey) =>
        {
            var state = (await asMum.GetFromJsonAsync<JsonArray>($"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/state"))!;
            var matching = state.Where(e => e!["type"]!.GetValue<string>() == type && (stateKey is null || e["state_key"]!.GetValue<string>() == stateKey));
            return new JsonArray(matching.Select(e => e!.DeepClone()).ToArray()).ToJsonString();
        });
        // The widget as walkie channel link writes it into the room.
        var widgetEvent = WalkieWidget.Content("family", gateway.Url);
        var widgetApi = await File.ReadAllTextAsync(Path.Combine(PublishedClient.Path, "wwwroot", "lib", "matrix-widget-api.js"));
        await page.RouteAsync(WidgetHostPage.Url, route => route.FulfillAsync(new RouteFulfillOptions
        {
            ContentType = "text/html",
            Body = WidgetHostPage.Html(widgetApi, widgetEvent, WalkieWidget.WidgetId("family"), roomId, mum.UserId, mum.DeviceId),
        }));
        await page.GotoAsync(WidgetHostPage.Url);

        var widget = page.FrameLocator("#widget");
        var optIn = widget.Locator("#opt-in");
        await optIn.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        await Screenshots.TakeAsync(page, "widget-in-host");
        _log.Write("requested: " + await page.EvaluateAsync<string>("() => host.requested.join(' ')"));

        // Capabilities as docs/web.md lists them, always-on-screen granted and used.
        var requested = await page.EvaluateAsync<string[]>("() => host.requested");
        Assert.Contains("m.always_on_screen", requested);
        Assert.Contains($"org.matrix.msc2762.send.state_event:{AcceptType}#device/{mum.UserId}/{mum.DeviceId}", requested);
        Assert.Contains($"org.matrix.msc2762.receive.state_event:{AcceptType}", requested);
        Assert.True(await page.EvaluateAsync<bool>("() => host.alwaysOnScreen === true"), "the widget did not ask to stay on screen");

        // The OpenID token was checked by the gateway at the homeserver: mum's Element device is a web device in the channel.
        var device = Assert.Single(new SqliteWebDeviceStore(gateway.Database).MatrixDevicesOf(1));
        Assert.Equal(mum.UserId, device.Owner);

        // "Receive walkie broadcasts on this device": the accept goes into the room through the widget API, as mum.
        await optIn.CheckAsync();
        var stateKey = $"device/{mum.UserId}/{mum.DeviceId}";
        var accept = await Eventually.ValueAsync(async () =>
        {
            using var response = await asMum.GetAsync($"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/state/{AcceptType}/{Uri.EscapeDataString(stateKey)}");
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
        }, 20_000);
        Assert.True(accept is not null, "the accept event never reached the room");
        _log.Write("accept in the room: " + accept.ToJsonString());
        Assert.True(accept["receive"]!.GetValue<bool>());
        Assert.Equal(mum.DeviceId, accept["device_id"]!.GetValue<string>());
        // The host notes what it sent once the widget API's answer came back, which can be after the room has the event.
        var sent = await Eventually.ValueAsync(async () => await page.EvaluateAsync<int>("() => host.sent.length") is var n && n > 0 ? (object)n : null, 10_000);
        Assert.Equal(1, sent);
        Assert.Equal("This device now receives walkie broadcasts once it is granted a permit.", await widget.Locator("#consent-message").InnerTextAsync());
        await Screenshots.TakeAsync(page, "widget-opted-in");
    }
}
