using Microsoft.Playwright;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Simulation;
using WalkieTalkie.Badge.Simulation.Tests.Support;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.WebWalkie.Tests.Support;

namespace WalkieTalkie.WebWalkie.Tests;

/// <summary>
/// Issue 14, the console's watching pages in headless Chromium: an admin watches a virtual badge come online (battery
/// and signal within 2 s) and the floor holder change as two badges talk in turn, plays a recording (the audio element's
/// WAV read by sox); a member sees only its channel's recordings and cannot delete, in the page and as HTTP requests.
/// Each page is photographed at phone and desktop width.
/// </summary>
public sealed class ConsolePagesTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const int Rate = 8000;

    private readonly TestLog _log = new(output);

    private async Task<WebGateway> StartAsync()
    {
        var gateway = WebGateway.Create();
        foreach (var badge in new[] { "kid", "dad", "boss" })
        {
            gateway.AddBadge(badge);
        }

        gateway.WebUsers.Add("lead", "lead-password", "admin");
        gateway.WebUsers.Add("mum", "mum-password", "member");
        gateway.AddChannel(1, "family", Rate, "kid", "dad", "mum");
        gateway.AddChannel(2, "office", Rate, "boss");
        await gateway.StartAsync(_log);
        return gateway;
    }

    /// <summary>Signs in as the page does (antiforgery token, then the login), in the browser's own cookie jar.</summary>
    private async Task<IPage> SignInAsync(WebGateway gateway, string user)
    {
        var page = await browser.Chromium.NewPageAsync(_log.Write);
        var tokens = await page.APIRequest.GetAsync($"{gateway.Origin}/web/v1/antiforgery");
        var token = (await tokens.JsonAsync())!.Value.GetProperty("token").GetString()!;
        var login = await page.APIRequest.PostAsync($"{gateway.Origin}/web/v1/login", new()
        {
            Headers = new Dictionary<string, string> { ["X-Walkie-Antiforgery"] = token },
            DataObject = new { name = user, password = user + "-password" },
        });
        Assert.Equal(200, login.Status);
        return page;
    }

    private static async Task OpenAsync(IPage page, WebGateway gateway, string console) =>
        await page.GotoAsync($"http://127.0.0.1:{gateway.HttpPort}/console/{console}", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle, Timeout = 120_000 });

    private VirtualBadge AddBadge(VirtualBadgeFleet fleet, WebGateway gateway, string id, string wav, int rssi) =>
        fleet.Add(new VirtualBadgeSettings
        {
            Id = id, Port = gateway.MqttPort, Password = gateway.Secrets[id], MicWav = wav, Rssi = rssi, Channels = [new VirtualChannel(id == "boss" ? (byte)2 : (byte)1, Rate)],
        });

    [Fact]
    public async Task An_admin_watches_badges_and_the_floor_live_and_plays_a_recording_that_sox_reads()
    {
        var spoken = Speech.Say("Kid here. The bus is late, I will be home at five.", Path.Combine(browser.Folder, "console-kid.wav"));
        await using var gateway = await StartAsync();
        var page = await SignInAsync(gateway, "lead");
        await OpenAsync(page, gateway, "overview");
        var kidRow = page.Locator("#badges tr[data-badge='kid']");
        await Assertions.Expect(kidRow).ToHaveAttributeAsync("data-state", "offline", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#live-state")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("up"));

        await using var fleet = new VirtualBadgeFleet { Log = (_, line) => _log.Write(line) };
        var kid = AddBadge(fleet, gateway, "kid", spoken, -61);
        var dad = AddBadge(fleet, gateway, "dad", spoken, -70);
        kid.BatteryPercent = 73;
        fleet.Start();
        Assert.True(await fleet.WaitUntilAsync(_ => kid.Mode == BadgeMode.Idle, TimeSpan.FromSeconds(20)), "the badge did not connect");
        // Within 2 s of the badge being online, its battery and signal are on the page.
        await Assertions.Expect(kidRow.Locator(".battery")).ToContainTextAsync("73 %", new() { Timeout = 2000 });
        await Assertions.Expect(kidRow.Locator(".signal")).ToHaveTextAsync("-61 dBm", new() { Timeout = 2000 });
        Assert.True(await fleet.WaitUntilAsync(_ => dad.Mode == BadgeMode.Idle, TimeSpan.FromSeconds(20)), "dad did not connect");
        await Screenshots.TakeAsync(page, "console-overview");
        // Laid out as a table: the walkie's channel buttons share the class name of this table's channel cells.
        var displays = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#badges td, #badges th')].map(c => getComputedStyle(c).display)");
        Assert.All(displays, display => Assert.Equal("table-cell", display));

        var holder = page.Locator("#channels tr[data-channel='1'] .holder");
        foreach (var talker in new[] { (Badge: kid, Name: "Kid"), (Badge: dad, Name: "Dad") })
        {
            talker.Badge.SetTalk(true);
            await Assertions.Expect(holder).ToContainTextAsync(talker.Name, new() { Timeout = 5000 });
            await Task.Delay(1500);
            talker.Badge.SetTalk(false);
            await Assertions.Expect(holder).ToHaveTextAsync("free", new() { Timeout = 5000 });
        }

        await Assertions.Expect(page.Locator("#badges tr[data-badge='boss']")).ToHaveCountAsync(1);

        // The recordings: play kid's burst in the page; the audio element's WAV is one sox reads.
        await OpenAsync(page, gateway, "recordings");
        var rows = page.Locator("#recordings tr[data-burst]");
        await Assertions.Expect(rows).ToHaveCountAsync(2, new() { Timeout = 10_000 });
        await rows.First.Locator("button.play").ClickAsync();
        await Assertions.Expect(page.Locator("svg.waveform")).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("Waveform of burst"));
        var src = await page.Locator("audio#player").GetAttributeAsync("src");
        await page.WaitForFunctionAsync("() => document.querySelector('audio#player').readyState >= 1", null, new() { Timeout = 10_000 });
        var wav = await page.APIRequest.GetAsync(new Uri(new Uri(page.Url), src!).ToString());
        Assert.Equal(200, wav.Status);
        var file = Path.Combine(browser.Folder, "console-played.wav");
        await File.WriteAllBytesAsync(file, await wav.BodyAsync());
        var (rate, samples) = Sox.Decode(file);
        Assert.Equal(Rate, rate);
        Assert.InRange(samples, Rate, Rate * 3);
        await Screenshots.TakeAsync(page, "console-recordings");

        await OpenAsync(page, gateway, "floor");
        await Assertions.Expect(page.Locator("#floor tr[data-kind='grant']")).ToHaveCountAsync(2, new() { Timeout = 10_000 });
        await page.SelectOptionAsync("#floor-kind", "release");
        await page.ClickAsync(".console-filter button[type=submit]");
        await Assertions.Expect(page.Locator("#floor tr[data-kind='grant']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#floor tr[data-kind='release']")).ToHaveCountAsync(2);
        await Screenshots.TakeAsync(page, "console-floor");
    }

    [Fact]
    public async Task A_member_sees_only_its_channels_recordings_and_cannot_delete_in_the_page_or_over_http()
    {
        var spoken = Speech.Say("Office calling. Meeting at three.", Path.Combine(browser.Folder, "console-boss.wav"));
        await using var gateway = await StartAsync();
        await using var fleet = new VirtualBadgeFleet { Log = (_, line) => _log.Write(line) };
        var kid = AddBadge(fleet, gateway, "kid", spoken, -60);
        var boss = AddBadge(fleet, gateway, "boss", spoken, -60);
        fleet.Start();
        Assert.True(await fleet.WaitUntilAsync(_ => kid.Mode == BadgeMode.Idle && boss.Mode == BadgeMode.Idle, TimeSpan.FromSeconds(20)), "the badges did not connect");
        foreach (var talker in new[] { kid, boss })
        {
            talker.SetTalk(true);
            Assert.True(await fleet.WaitUntilAsync(_ => talker.Mode == BadgeMode.Talking, TimeSpan.FromSeconds(10)), "the floor was not granted");
            await Task.Delay(1000);
            talker.SetTalk(false);
        }

        Assert.True(await Eventually.TrueAsync(() => gateway.Recordings.Recent(10).Count(r => r.Complete) == 2, 10_000), "two recordings");
        var theirs = gateway.Recordings.Recent(10).Single(r => r.Channel == 2).BurstId;

        var page = await SignInAsync(gateway, "mum");
        await OpenAsync(page, gateway, "recordings");
        var rows = page.Locator("#recordings tr[data-burst]");
        await Assertions.Expect(rows).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#recordings button.delete")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#channel option[value='2']")).ToHaveCountAsync(0);
        await Screenshots.TakeAsync(page, "console-recordings-member");

        Assert.Equal(403, (await page.APIRequest.GetAsync($"http://127.0.0.1:{gateway.HttpPort}/console/v1/recordings?channel=2")).Status);
        Assert.Equal(403, (await page.APIRequest.GetAsync($"http://127.0.0.1:{gateway.HttpPort}/console/v1/recordings/{theirs}/audio.wav")).Status);
        var token = (await (await page.APIRequest.GetAsync($"{gateway.Origin}/web/v1/antiforgery")).JsonAsync())!.Value.GetProperty("token").GetString()!;
        var delete = await page.APIRequest.DeleteAsync($"http://127.0.0.1:{gateway.HttpPort}/console/v1/recordings/{theirs}",
            new() { Headers = new Dictionary<string, string> { ["X-Walkie-Antiforgery"] = token } });
        Assert.Equal(403, delete.Status);
        Assert.NotNull(gateway.Recordings.Get(theirs));

        await OpenAsync(page, gateway, "overview");
        await Assertions.Expect(page.Locator("#badges tr[data-badge='kid']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#badges tr[data-badge='boss']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#channels tr[data-channel='2']")).ToHaveCountAsync(0);
    }
}
