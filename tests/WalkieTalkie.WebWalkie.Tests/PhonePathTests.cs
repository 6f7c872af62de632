using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Simulation;
using WalkieTalkie.Badge.Simulation.Audio;
using WalkieTalkie.Badge.Simulation.Tests.Support;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.MatrixBridge.Linking;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Storage.Sqlite.Web;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.WebWalkie.Tests.Support;

namespace WalkieTalkie.WebWalkie.Tests;

/// <summary>
/// Issue 12, "Done when", the phone path: the standalone page signs in to the homeserver with a password, as a phone
/// user does, and is a Matrix device of its own; it opts in with its own MSC4002 accept (which the gateway's bridge
/// reads from the room), hears a badge live once granted, and signing out logs that device out. The page is
/// installable: its manifest and service worker are served and valid.
/// </summary>
public sealed class PhonePathTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const string AcceptType = "org.matrix.msc4002.accept";
    private const string PermitType = "org.matrix.msc4002.permit";
    private const int Rate = 8000;
    private const int CoarseStep = Rate / 4000;

    private readonly TestLog _log = new(output);

    private static async Task<JsonObject> PostAsync(HttpClient http, string path, JsonObject body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task<string[]> DevicesAsync(HttpClient asUser) =>
        (await asUser.GetFromJsonAsync<JsonObject>("_matrix/client/v3/devices"))!["devices"]!.AsArray()
        .Select(d => d!["device_id"]!.GetValue<string>()).ToArray();

    [Fact]
    public async Task The_page_signs_in_with_Matrix_opts_in_hears_a_badge_live_and_signing_out_logs_the_device_out()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var ct = timeout.Token;
        await using var home = await TestHomeserver.TestHomeserver.StartAsync(new TestHomeserver.TestHomeserverOptions { ServerName = "home.test" });
        var mumUser = home.RegisterUser("mum", "mum-password").UserId;
        var granterUser = home.RegisterUser("walkie-granter", "granter-password").UserId;
        // Mum's other device (her laptop's Element), from which the test looks at the room and her devices.
        using var asMum = new HttpClient { BaseAddress = home.BaseUrl };
        asMum.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", home.CreateSession(mumUser, "LAPTOP").AccessToken);
        using var asGranter = new HttpClient { BaseAddress = home.BaseUrl };
        asGranter.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", home.CreateSession(granterUser, "GRANTER").AccessToken);
        var spoken = Speech.Say("Hello from the playground. Please come and pick me up at four.", Path.Combine(browser.Folder, "kid-phone.wav"));
        var speech = PcmClip.Load(spoken).At(Rate);
        await using var gateway = WebGateway.Create();
        gateway.AddBadge("kid");
        gateway.AddChannel(1, "family", Rate, "kid");
        var keyFile = Path.Combine(gateway.Directory, "store.key");
        await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), ct);
        var matrix = new MatrixBridgeOptions { Homeserver = home.BaseUrl.ToString(), StoreKeyFile = keyFile, SyncTimeout = TimeSpan.FromSeconds(2), PermitRereadSeconds = 600 };
        // The badge's own Matrix account (walkie badge link kid … --register): the bridge hears the room through it.
        var kidAccount = await BadgeLinker.LinkAsync(SqliteStores.Bridge(gateway.Database), matrix, gateway.Directory, "kid", "walkie-kid", "kid-badge-password",
            register: true, _log.CreateLogger("link"), ct);
        var roomId = (await PostAsync(asGranter, "_matrix/client/v3/createRoom",
            new JsonObject { ["name"] = "Family", ["invite"] = new JsonArray(mumUser, kidAccount.UserId) }))["room_id"]!.GetValue<string>();
        await PostAsync(asMum, $"_matrix/client/v3/join/{Uri.EscapeDataString(roomId)}", []);
        // walkie channel link family <room> --granter … --granter-password …
        var link = await ChannelLinker.LinkAsync(SqliteStores.Bridge(gateway.Database), matrix, gateway.Directory, "family", roomId, granterUser,
            "granter-password", _log.CreateLogger("link"), ct);
        Assert.Empty(link.NotDone);
        await gateway.StartAsync(_log, web => web.MatrixServers = new Dictionary<string, string> { ["home.test"] = home.BaseUrl.ToString() });
        var services = gateway.Host.Services;
        await using var bridge = await MatrixBridgeHost.StartAsync(services.GetRequiredService<BridgeStores>(), matrix, gateway.Directory, _log,
            new EngineBadgePlayer(gateway.Host.Engine), services.GetRequiredService<IRegistryChanges>(), services.GetRequiredService<RecordingReader>(), ct);

        // Installable: the manifest and the service worker the page names are served, and the worker takes the page.
        using (var http = new HttpClient { BaseAddress = new Uri(gateway.Url) })
        {
            using var manifestResponse = await http.GetAsync("manifest.webmanifest", ct);
            Assert.True(manifestResponse.IsSuccessStatusCode, $"manifest: {manifestResponse.StatusCode}");
            Assert.Equal("application/manifest+json", manifestResponse.Content.Headers.ContentType?.MediaType);
            var manifest = (await manifestResponse.Content.ReadFromJsonAsync<JsonObject>(ct))!;
            Assert.False(string.IsNullOrWhiteSpace(manifest["name"]?.GetValue<string>()));
            Assert.Equal("standalone", manifest["display"]?.GetValue<string>());
            Assert.Equal("./", manifest["start_url"]?.GetValue<string>());
            var icon = manifest["icons"]!.AsArray().First()!["src"]!.GetValue<string>();
            Assert.True((await http.GetAsync(icon, ct)).IsSuccessStatusCode, $"the manifest's icon {icon} is not served");
            using var worker = await http.GetAsync("service-worker.js", ct);
            Assert.True(worker.IsSuccessStatusCode, $"service worker: {worker.StatusCode}");
            Assert.Equal("text/javascript", worker.Content.Headers.ContentType?.MediaType);
        }

        var devicesBefore = await DevicesAsync(asMum);
        var page = new WalkiePage(await browser.Chromium.NewPageAsync(_log.Write));
        await using var _ = page;
        await page.OpenAsync(DeepListening.PageUrl(gateway.Url, Rate));
        var scope = await page.Page.EvaluateAsync<string>("async () => (await navigator.serviceWorker.ready).scope");
        Assert.Equal(gateway.Url, scope);
        Assert.Equal(gateway.Url + "manifest.webmanifest", await page.Page.EvaluateAsync<string>("() => document.querySelector('link[rel=manifest]').href"));

        // Signing in with the homeserver's password login makes the page a Matrix device of mum's own.
        await page.SignInMatrixAsync(home.BaseUrl.ToString(), "mum", "mum-password");
        await page.Page.WaitForSelectorAsync("#opt-in", new() { Timeout = 60_000 });
        var phoneDevice = Assert.Single((await DevicesAsync(asMum)).Except(devicesBefore));
        var webDevice = Assert.Single(new SqliteWebDeviceStore(gateway.Database).MatrixDevicesOf(1));
        Assert.Equal(mumUser, webDevice.Owner);
        Assert.Equal(phoneDevice, webDevice.MatrixDeviceId);
        _log.Write($"the page is {mumUser}'s device {phoneDevice}, the gateway's {webDevice.Id}");

        // Opting in: the page's own accept lands in the room, sent by mum's phone device.
        await page.Page.CheckAsync("#opt-in");
        var stateKey = $"device/{mumUser}/{phoneDevice}";
        var accept = await Eventually.ValueAsync(async () =>
        {
            using var response = await asMum.GetAsync($"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/state/{AcceptType}/{Uri.EscapeDataString(stateKey)}");
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
        }, 20_000);
        Assert.True(accept is not null, "the page's accept never reached the room");
        Assert.True(accept["receive"]!.GetValue<bool>());
        Assert.Equal(phoneDevice, accept["device_id"]!.GetValue<string>());

        // A member with the power to grant gives the device a permit in the room (as the widget's "Grant" or Element
        // does); the bridge applies it with the page's own consent from the room.
        using (var permit = await asGranter.PutAsync(
                   $"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/state/{PermitType}/{Uri.EscapeDataString(stateKey)}",
                   JsonContent.Create(new JsonObject { ["user_id"] = mumUser, ["device_id"] = phoneDevice, ["receive"] = true, ["send"] = true }), ct))
        {
            permit.EnsureSuccessStatusCode();
        }

        await page.Page.WaitForSelectorAsync(".channel .rights:text('talk & listen')", new() { Timeout = 60_000 });
        await page.WaitForStatusAsync("Ready", 30_000);
        await page.ClearTapAsync();

        // A badge talks; the phone page plays it live.
        await using (var fleet = new VirtualBadgeFleet { Log = (_, line) => _log.Write(line) })
        {
            fleet.Add(new VirtualBadgeSettings { Id = "kid", Port = gateway.MqttPort, Password = gateway.Secrets["kid"], MicWav = spoken, Channels = [new VirtualChannel(1, Rate)] });
            fleet.Start();
            var kid = fleet.Badges[0];
            Assert.True(await fleet.WaitUntilAsync(_ => kid.Mode == BadgeMode.Idle, TimeSpan.FromSeconds(20)), "the badge did not connect");
            kid.SetTalk(true);
            Assert.True(await fleet.WaitUntilAsync(_ => kid.Mode == BadgeMode.Talking, TimeSpan.FromSeconds(10)), "the floor was not granted");
            await page.WaitForStatusAsync("Receiving from Kid", 10_000);
            await Task.Delay(TimeSpan.FromSeconds(speech.Seconds + 0.3), ct);
            kid.SetTalk(false);
            await page.WaitForStatusAsync("Ready", 15_000);
        }

        var (played, chunks) = await page.PlayedAsync();
        var (peak, lag) = Correlation.Best(speech.Samples, played, 0, Math.Max(0, played.Length - speech.Samples.Length / 2), coarseStep: CoarseStep);
        _log.Write($"the phone page played {played.Length} samples in {chunks.Count} chunks: correlation {peak:0.000} at lag {lag}");
        Assert.True(peak >= 0.9, $"what the phone page played correlates {peak:0.000} with the speech (floor 0.9)");

        // Signing out logs the page's device out at the homeserver.
        await page.Page.ClickAsync("#sign-out");
        await page.Page.WaitForSelectorAsync("#matrix-sign-in", new() { Timeout = 30_000 });
        var gone = await Eventually.ValueAsync(async () => (await DevicesAsync(asMum)).Contains(phoneDevice) ? null : "gone", 10_000);
        Assert.True(gone is not null, $"device {phoneDevice} is still at the homeserver after signing out");
        Assert.Contains("LAPTOP", await DevicesAsync(asMum));
    }
}
